package io.slabtrack.tot.pages;

import io.slabtrack.cluster.web.CardWords;
import io.slabtrack.cluster.web.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A listing as the pages show it, from the browse API's own JSON ({@code ListingJson}): what it is, its Flip
 * prices (win and lose, and the spread between), and whether it can be flipped, pulled, or only pulled.
 */
public record Tile(long id, String href, String kind, String title, String subtitle, String thumb, String grade,
                   int cardCount, String value, long valueCents, String winPrice, String losePrice, String spread,
                   boolean flipEligible, boolean pullEligible, boolean pullOnly, boolean active, boolean inFlip,
                   boolean inPull, String listingKey) {

  static Tile of(JsonObject l, Picked picked) {
    long id = l.getLong("id");
    JsonArray cards = l.getJsonArray("cards", new JsonArray());
    JsonObject first = cards.isEmpty() ? new JsonObject() : cards.getJsonObject(0);
    JsonObject flip = l.getJsonObject("flipConfig");
    boolean lot = "lot".equals(l.getString("kind"));
    String title = lot ? "Lot of " + cards.size() : CardWords.title(first, id);
    String subtitle = lot ? players(cards) : CardWords.text(first, "parallel");
    return new Tile(id, "/listings/" + id, l.getString("kind"), title, subtitle, CardWords.thumb(first),
        lot ? null : CardWords.gradeLabel(first), cards.size(), Money.usd(flip.getLong("cardValue")),
        flip.getLong("cardValue"), Money.usd(flip.getLong("winPrice")), Money.usd(flip.getLong("losePrice")),
        percent(flip.getString("spread")), l.getBoolean("flipEligible"), l.getBoolean("pullEligible"),
        l.getBoolean("pullOnly"), "ACTIVE".equals(l.getString("status")), picked.flip().contains(id),
        picked.pull().contains(id), l.getString("listingKey"));
  }

  /** This tile as a buyer with these picks sees it. */
  Tile picked(boolean flip, boolean pull) {
    return new Tile(id, href, kind, title, subtitle, thumb, grade, cardCount, value, valueCents, winPrice, losePrice,
        spread, flipEligible, pullEligible, pullOnly, active, flip, pull, listingKey);
  }

  /** Whether the tile can go in the flip cart: flip-eligible (a single under $15 only in a cart, not alone). */
  public boolean flippable() {
    return active && flipEligible;
  }

  public boolean pullable() {
    return active && pullEligible;
  }

  /** A solo flip of this listing alone (pull-only singles can't). */
  public boolean soloFlip() {
    return flippable() && !pullOnly;
  }

  static List<Tile> all(List<JsonObject> listings, Picked picked) {
    List<Tile> out = new ArrayList<>();
    listings.forEach(l -> out.add(of(l, picked)));
    return out;
  }

  static List<Views.CardLine> cards(JsonObject listing) {
    List<Views.CardLine> out = new ArrayList<>();
    for (Object o : listing.getJsonArray("cards", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      long id = c.getLong("id", 0L);
      out.add(new Views.CardLine(id, CardWords.title(c, id), CardWords.gradeLabel(c), CardWords.text(c, "certNumber"),
          Money.usd(c.getLong("price")), CardWords.image(c, "frontImageUrl"), CardWords.image(c, "backImageUrl"),
          CardWords.thumb(c)));
    }
    return out;
  }

  private static String players(JsonArray cards) {
    List<String> names = new ArrayList<>();
    for (Object o : cards) {
      String p = CardWords.text((JsonObject) o, "player");
      if (p != null && !names.contains(p)) {
        names.add(p);
      }
    }
    return String.join(", ", names);
  }

  /** "0.25" → "25%". */
  static String percent(String spread) {
    return spread == null ? null : new BigDecimal(spread).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }
}
