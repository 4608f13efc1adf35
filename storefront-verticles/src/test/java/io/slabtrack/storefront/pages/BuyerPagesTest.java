package io.slabtrack.storefront.pages;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.PageClient;
import io.slabtrack.storefront.PayingShop;
import io.slabtrack.storefront.StorefrontFixture;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The buyer's pages at the HTML level against a real Storefront, a connected shop and the Stripe simulator:
 * escaping, the security headers, page weight, filters in the URL, the cart cookie, the checkout form's errors,
 * the way to the payment page and back (Cancel releases the cards at once).
 */
class BuyerPagesTest {
  private static final AtomicLong IDS = new AtomicLong(700_000);
  private static final String SLUG = PayingShop.SLUG;
  private static PayingShop shop;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    shop = new PayingShop();
    base = "http://127.0.0.1:" + shop.sf.node.httpPort(AppName.STOREFRONT);
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
  }

  static long card(String player, String set, int year, String grader, double grade, long price, String image)
      throws Exception {
    long id = IDS.incrementAndGet();
    JsonObject snap = new JsonObject().put("player", player).put("year", year).put("setName", set)
        .put("gradingCompany", grader).put("grade", grade).put("cardNumber", "7").put("certNumber", "C" + id);
    if (image != null) {
      snap.put("frontImageUrl", image).put("frontImageThumb", image);
    }
    shop.sf.publish(cardEvent("publish", SLUG, id, 1, price, snap));
    return id;
  }

  private static PageClient browser() {
    return new PageClient(base);
  }

  @Test
  void aCardNamedScriptRendersAsTextAndNoPageHasInlineScriptOrStyle() throws Exception {
    long id = card("<script>alert(1)</script>", "Set \"quoted\" & <b>bold</b>", 2021, "PSA", 10, 1000,
        "https://img.example.com/a.jpg\" onerror=\"alert(2)");
    PageClient b = browser();
    for (String path : List.of("/s/" + SLUG, "/s/" + SLUG + "/cards/" + id)) {
      PageClient.Page p = b.get(path);
      assertThat(p.status()).as(path).isEqualTo(200);
      assertThat(p.body()).doesNotContain("<script>alert(1)</script>").doesNotContain("<b>bold</b>")
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
      Document doc = p.doc();
      assertThat(doc.select("script:not([src])")).as("inline script on " + path).isEmpty();
      assertThat(doc.select("style, [style], [onerror], [onclick], [onload]")).as("inline style/handlers").isEmpty();
      assertThat(doc.text()).contains("<script>alert(1)</script>");
    }
  }

  @Test
  void pagesCarryTheStrictPolicyAndPullNothingExternalButCardImagesWithinTheWeightBudget() throws Exception {
    long id = card("Weight Watcher", "Topps Chrome", 2019, "BGS", 9.5, 2500, "https://cdn.cards.example/w.jpg");
    PageClient b = browser();
    b.post("/s/" + SLUG + "/cart", Map.of("cardId", String.valueOf(id)));
    String order = shop.order(card("Order Page", "Prizm", 2020, "PSA", 10, 1000, "https://cdn.cards.example/o.jpg"));
    String token = shop.sf.sql("SELECT buyer_token FROM orders WHERE id = $1", order).iterator().next().getString(0);
    for (String path : List.of("/", "/s/" + SLUG, "/s/" + SLUG + "/cards/" + id, "/s/" + SLUG + "/cart",
        "/s/" + SLUG + "/checkout", "/orders/" + order + "?token=" + token, "/s/no-such-shop",
        "/s/" + SLUG + "/no-such-page")) {
      PageClient.Page p = b.get(path);
      // an address no public route answers is the gate's sign-in page to an anonymous browser (deny by default)
      assertThat(p.status()).as(path).isEqualTo(path.endsWith("no-such-page") ? 401
          : path.endsWith("no-such-shop") ? 404 : 200);
      String csp = p.header("Content-Security-Policy");
      assertThat(csp).as(path).contains("default-src 'none'", "script-src 'self';", "style-src 'self';",
          "img-src 'self' https: data:", "frame-ancestors 'none'");
      assertThat(p.header("Referrer-Policy")).as(path).isEqualTo("same-origin");
      Document doc = p.doc();
      long bytes = p.body().getBytes().length;
      for (Element e : doc.select("[src], link[href], form[action]")) {
        String url = e.hasAttr("src") ? e.attr("src") : e.hasAttr("href") ? e.attr("href") : e.attr("action");
        if (e.tagName().equals("img") && url.startsWith("https://")) {
          continue; // card photos live on other hosts
        }
        assertThat(url).as("%s on %s pulls %s", e.tagName(), path, url).startsWith("/");
        if (!e.tagName().equals("img") && !e.tagName().equals("form")) {
          PageClient.Page asset = b.get(url);
          assertThat(asset.status()).as(url).isEqualTo(200);
          assertThat(asset.header("Cache-Control")).as(url).contains("immutable");
          bytes += asset.body().getBytes().length;
        }
      }
      assertThat(bytes).as("%s with its CSS and JS, before images", path).isLessThan(150_000);
    }
    assertThat(b.get("/s/" + SLUG).header("Content-Security-Policy"))
        .as("checkout's redirect to the payment page is a form target")
        .contains("form-action 'self' " + shop.sim.simulator.baseUrl());
  }

  @Test
  void filtersStayInTheUrlAcrossPagesAndNarrowTheGrid() throws Exception {
    for (int i = 0; i < 26; i++) {
      card("Filter Star", "Upper Deck", 2003, "SGC", 9, 1000 + i, null);
    }
    card("Someone Else", "Upper Deck", 2003, "SGC", 9, 1000, null);
    PageClient b = browser();
    PageClient.Page first = b.get("/s/" + SLUG + "?player=filter+star&grader=SGC&max=20");
    Document doc = first.doc();
    assertThat(doc.select("[data-test=result-count]").text()).startsWith("26 cards match");
    assertThat(doc.select("#results .tile")).hasSize(24);
    assertThat(doc.select("#results .tile-title").eachText()).allMatch(t -> t.contains("Filter Star"));
    String next = doc.select("a[rel=next]").attr("href");
    assertThat(next).contains("player=filter+star", "grader=SGC", "max=20", "page=2");
    assertThat(doc.select("#f-player").val()).isEqualTo("filter star");
    assertThat(doc.select("#f-grader option[selected]").val()).isEqualTo("SGC");
    Document second = b.get(next).doc();
    assertThat(second.select("#results .tile")).hasSize(2);
    assertThat(second.select("a[rel=prev]").attr("href")).contains("player=filter+star").doesNotContain("page=");
    assertThat(b.get("/s/" + SLUG + "?min=abc&page=-3").status()).as("nonsense is ignored, not an error")
        .isEqualTo(200);
  }

  @Test
  void aShopThatIsNotAcceptingOrdersShowsItsCardsAndSaysSo() throws Exception {
    shop.sf.shop("not-yet", "nora");
    shop.sf.publish(cardEvent("publish", "not-yet", IDS.incrementAndGet(), 1, 900L,
        StorefrontFixture.snapshot("Waiting Player", "Prizm", 10)));
    Document doc = browser().get("/s/not-yet").doc();
    assertThat(doc.select("[data-test=not-accepting]")).hasSize(1);
    assertThat(doc.select(".tile")).hasSize(1);
    assertThat(doc.select(".tile form")).as("no buy button").isEmpty();
  }

  @Test
  void unknownShopsAndCardsAreA404PageAndSoldCardsSaySold() throws Exception {
    PageClient b = browser();
    PageClient.Page noShop = b.get("/s/no-such-shop");
    assertThat(noShop.status()).isEqualTo(404);
    assertThat(noShop.doc().select("h1").text()).isEqualTo("Page not found");
    assertThat(noShop.header("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(b.get("/s/" + SLUG + "/cards/999999999").status()).isEqualTo(404);
    assertThat(b.get("/s/" + SLUG + "/cards/abc").status()).isEqualTo(404);
    long sold = card("Sold Soul", "Finest", 1999, "PSA", 8, 1500, null);
    shop.sf.sql("UPDATE storefront_cards SET status = 'sold' WHERE slabtrack_card_id = $1", sold);
    Document doc = b.get("/s/" + SLUG + "/cards/" + sold).doc();
    assertThat(doc.select("[data-test=sold]").text()).startsWith("Sold");
    assertThat(doc.select(".buy-buttons")).isEmpty();
  }

  @Test
  void aFormPostFromAnotherSiteIsRefusedWithA403Page() throws Exception {
    long id = card("Csrf Target", "Prizm", 2020, "PSA", 10, 1000, null);
    PageClient.Page p = browser().post("/s/" + SLUG + "/cart", Map.of("cardId", String.valueOf(id)),
        "https://evil.example");
    assertThat(p.status()).isEqualTo(403);
    assertThat(p.doc().select("h1").text()).isEqualTo("Not allowed");
    assertThat(p.header("Set-Cookie")).isNull();
  }

  @Test
  void checkoutShowsEveryFieldErrorAtOnceThenSendsTheBuyerToThePaymentPage() throws Exception {
    long a = card("Cart One", "Prizm", 2020, "PSA", 10, 3000, null);
    long c = card("Cart Two", "Prizm", 2020, "PSA", 9, 2000, null);
    PageClient b = browser();
    PageClient.Page added = b.post("/s/" + SLUG + "/cart", Map.of("cardId", String.valueOf(a), "back", "/s/" + SLUG));
    assertThat(added.status()).isEqualTo(303);
    assertThat(added.location()).isEqualTo("/s/" + SLUG);
    assertThat(b.post("/s/" + SLUG + "/cart", Map.of("cardId", String.valueOf(c), "back", "//evil.example"))
        .location()).as("no open redirect").isEqualTo("/s/" + SLUG + "/cart");
    Document cart = b.get("/s/" + SLUG + "/cart").doc();
    assertThat(cart.select(".cart-line")).hasSize(2);
    assertThat(cart.select("[data-test=cart-total]").text()).isEqualTo("$50.00");
    assertThat(cart.select(".cart-count").text()).isEqualTo("2");

    Document form = b.get("/s/" + SLUG + "/checkout").doc();
    String key = form.select("input[name=key]").val();
    PageClient.Page invalid = b.post("/s/" + SLUG + "/checkout", Map.of("key", key, "email", "not-an-email",
        "name", "", "line1", "", "city", "Boston", "postalCode", "02101", "country", "USA"));
    assertThat(invalid.status()).isEqualTo(422);
    Document errors = invalid.doc();
    assertThat(errors.select("#e-email").text()).isEqualTo("email must be an email address");
    assertThat(errors.select("#e-name").text()).isEqualTo("Please fill this in.");
    assertThat(errors.select("#e-line1").text()).isEqualTo("Please fill this in.");
    assertThat(errors.select("#e-country").text()).contains("two-letter");
    assertThat(errors.select("#e-city")).isEmpty();
    assertThat(errors.select("#c-city").val()).as("what the buyer typed stays").isEqualTo("Boston");
    assertThat(shop.sf.count("SELECT count(*) FROM orders")).as("nothing ordered").isZero();

    Map<String, String> good = Map.of("key", key, "email", "bea@example.com", "name", "Bea Buyer",
        "line1", "2 Elm St", "city", "Boston", "state", "MA", "postalCode", "02101", "country", "us");
    PageClient.Page pay = b.post("/s/" + SLUG + "/checkout", good);
    assertThat(pay.status()).as(pay.toString()).isEqualTo(303);
    assertThat(pay.location()).startsWith(shop.sim.simulator.baseUrl() + "/checkout/cs_");
    assertThat(b.post("/s/" + SLUG + "/checkout", good).location()).as("a double submit: the same payment page")
        .isEqualTo(pay.location());
    assertThat(shop.sf.count("SELECT count(*) FROM orders WHERE $1 = ANY(card_ids)", a)).isEqualTo(1);
    assertThat(held(a, c)).hasSize(2);
    Document cartWhilePaying = b.get("/s/" + SLUG + "/cart").doc();
    assertThat(cartWhilePaying.select("[data-test=payment-in-progress] a").attr("href")).isEqualTo(pay.location());
    assertThat(cartWhilePaying.select(".flagged")).as("held for this buyer, not flagged").isEmpty();

    // Cancel on the payment page: back to the cart, the order cancelled and the cards free at once
    PageClient.Page cancel = b.post(pay.location() + "/cancel", Map.of(), null);
    assertThat(cancel.status()).isEqualTo(303);
    // the fixture's Storefront listens on a free port, so its public URL (Stripe's return links) names port 0
    PageClient.Page back = b.get(java.net.URI.create(cancel.location()).getRawPath() + "?"
        + java.net.URI.create(cancel.location()).getRawQuery());
    assertThat(back.status()).isEqualTo(303);
    assertThat(back.location()).isEqualTo("/s/" + SLUG + "/cart?note=cancelled");
    assertThat(held(a, c)).as("released now, not after the lock's 10 minutes").isEmpty();
    assertThat(shop.sf.sql("SELECT state, cancel_reason FROM orders WHERE $1 = ANY(card_ids)", a).iterator().next()
        .toJson()).isEqualTo(new JsonObject().put("state", "cancelled").put("cancel_reason", "buyer_cancelled"));
    Document cartAfter = b.get(back.location()).doc();
    assertThat(cartAfter.select("[data-test=note-cancelled]").text()).contains("not charged");
    assertThat(cartAfter.select(".cart-line")).hasSize(2);
    assertThat(cartAfter.select(".flagged, [data-test=payment-in-progress]")).isEmpty();
    assertThat(b.get(java.net.URI.create(cancel.location()).getRawPath() + "?"
        + java.net.URI.create(cancel.location()).getRawQuery()).location()).as("the link again changes nothing")
        .isEqualTo("/s/" + SLUG + "/cart?note=cancelled");
  }

  private static java.util.Map<Long, ?> held(long... ids) throws Exception {
    return shop.sf.node.runtime(AppName.STOREFRONT).context().saleLocks()
        .holders(java.util.Arrays.stream(ids).boxed().toList()).await(30, TimeUnit.SECONDS);
  }
}
