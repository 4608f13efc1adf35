package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.web.CardWords;
import io.slabtrack.cluster.web.Money;
import io.slabtrack.storefront.cards.StorefrontCard;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A card as the shop's pages show it: its words from core's snapshot, its price, whether it can be bought, and
 * image URLs only when they are http(s) (anything else is dropped and the placeholder shows).
 */
public record CardView(long id, String href, String title, String player, String year, String set, String number,
                       String parallel, String grader, String grade, String cert, String price, long priceCents,
                       String front, String back, String thumb, String status, boolean featured) {

  static CardView of(String slug, StorefrontCard card) {
    JsonObject s = card.snapshot() == null ? new JsonObject() : card.snapshot();
    String status = card.buyable() ? "active" : "sold".equals(card.status()) ? "sold" : "unavailable";
    Long price = card.price();
    return new CardView(card.cardId(), "/s/" + slug + "/cards/" + card.cardId(), title(s, card.cardId()),
        text(s, "player"), text(s, "year"), text(s, "setName"), text(s, "cardNumber"), text(s, "parallel"),
        text(s, "gradingCompany"), grade(s.getValue("grade")), text(s, "certNumber"), Money.usd(price),
        price == null ? 0 : price, image(s, "frontImageUrl"), image(s, "backImageUrl"),
        CardWords.thumb(s), status,
        card.featured());
  }

  static String title(JsonObject s, long id) {
    return CardWords.title(s, id);
  }

  public boolean buyable() {
    return "active".equals(status);
  }

  public boolean sold() {
    return "sold".equals(status);
  }

  /** "PSA 10", "BGS 9.5", or null for a raw card. */
  public String gradeLabel() {
    if (grader == null && grade == null) {
      return null;
    }
    return Stream.of(grader, grade).filter(Objects::nonNull).collect(Collectors.joining(" "));
  }

  private static String text(JsonObject s, String key) {
    return CardWords.text(s, key);
  }

  private static String grade(Object v) {
    return CardWords.grade(v);
  }

  static String image(JsonObject s, String key) {
    return CardWords.image(s, key);
  }
}
