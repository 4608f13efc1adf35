package io.slabtrack.storefront.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.PageClient;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.storefront.PayingShop;
import io.slabtrack.storefront.StorefrontFixture;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The owner's page {@code /s/{slug}/manage} at the HTML level against a real Storefront, a connected shop and the
 * Stripe simulator: who may see it (401/403 pages otherwise), core's handoff landing on it, and its forms doing
 * what the API does — ship (the buyer's order page then shows the tracking), refund, the card's price and flags.
 */
class ManagePagesTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final String SLUG = PayingShop.SLUG;
  private static final String MANAGE = "/s/" + SLUG + "/manage";
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

  /** Signed in the way an owner is: core's one-time handoff link, with no {@code next}. */
  private static PageClient signedIn(String userId, Role role) throws Exception {
    PageClient b = new PageClient(base);
    String token = TestTokens.handoff(TestNode.SECRET, userId, AppName.STOREFRONT, role);
    PageClient.Page landed = b.get("/auth/handoff?token=" + token);
    assertThat(landed.status()).as(landed.toString()).isEqualTo(302);
    assertThat(landed.location()).isEqualTo("/");
    return b;
  }

  private static HttpResponse<String> withSession(String path, String session) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html");
    if (session != null) {
      b.header("Cookie", "st_storefront=" + session);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String paidOrder(long cardId) throws Exception {
    String order = shop.order(cardId);
    shop.pay(order);
    shop.awaitState(order, "paid");
    return order;
  }

  @Test
  void nobodyGetsTheSignInPageAnotherVendorTheForbiddenPageNeverJson() throws Exception {
    HttpResponse<String> nobody = withSession(MANAGE, null);
    assertThat(nobody.statusCode()).isEqualTo(401);
    assertThat(nobody.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(org.jsoup.Jsoup.parse(nobody.body()).select("h1").text()).isEqualTo("Sign-in needed");

    HttpResponse<String> stranger = withSession(MANAGE, StorefrontFixture.vendor("mallory"));
    assertThat(stranger.statusCode()).isEqualTo(403);
    assertThat(stranger.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(org.jsoup.Jsoup.parse(stranger.body()).select("h1").text()).isEqualTo("Not allowed");
    assertThat(stranger.body()).doesNotContain("buyer@example.com");

    // nor can a stranger act through the page's forms
    PageClient mallory = signedIn("mallory", Role.VENDOR);
    long card = shop.card(1500);
    String order = paidOrder(card);
    PageClient.Page ship = mallory.post(MANAGE + "/orders/" + order + "/ship",
        Map.of("carrier", "UPS", "trackingNumber", "1Z-MALLORY"));
    assertThat(ship.status()).isEqualTo(403);
    assertThat(ship.doc().select("h1").text()).isEqualTo("Not allowed");
    assertThat(shop.get(order).getString("state")).isEqualTo("paid");
  }

  @Test
  void theOwnerLandsFromTheHandoffSeesOrdersAndCardsAndShipsAnOrder() throws Exception {
    long sold = shop.card(4200);
    long hidden = shop.card(900);
    assertThat(shop.call("PATCH", "/api/storefronts/" + SLUG + "/cards/" + hidden, new JsonObject().put("hidden", true))
        .status()).isEqualTo(200);
    String order = paidOrder(sold);

    PageClient owner = signedIn("ursula", Role.VENDOR);
    // "/" → "/manage" → the one shop's page: the handoff's default next never ends on a 404
    PageClient.Page home = owner.get("/");
    assertThat(home.status()).isEqualTo(303);
    assertThat(home.location()).isEqualTo("/manage");
    PageClient.Page landing = owner.get("/manage");
    assertThat(landing.status()).isEqualTo(303);
    assertThat(landing.location()).isEqualTo(MANAGE);

    PageClient.Page page = owner.get(MANAGE);
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    Document doc = page.doc();
    assertThat(doc.select("[data-test=payments-state]").attr("data-state")).isEqualTo("ready");
    Element row = doc.selectFirst("[data-test=order][data-order-id=" + order + "]");
    assertThat(row).isNotNull();
    assertThat(row.attr("data-state")).isEqualTo("paid");
    assertThat(row.text()).contains("buyer@example.com", "Bea Buyer", "2 Elm St", "$42.00", "Player " + sold);
    assertThat(row.select("[data-test=ship-form]")).hasSize(1);
    assertThat(doc.select("[data-test=order-group][data-state=paid]").text()).startsWith("To ship");
    assertThat(doc.select("[data-test=card][data-card-id=" + hidden + "]").attr("data-status")).isEqualTo("hidden");
    assertThat(doc.select("[data-test=card][data-card-id=" + hidden + "] input[name=hidden]").hasAttr("checked"))
        .isTrue();

    // a form from another site is refused, nothing shipped
    PageClient.Page forged = owner.post(MANAGE + "/orders/" + order + "/ship",
        Map.of("carrier", "UPS", "trackingNumber", "1Z-FORGED"), "https://evil.example");
    assertThat(forged.status()).isEqualTo(403);
    assertThat(shop.get(order).getString("state")).isEqualTo("paid");

    // a blank tracking number is said on the page, nothing shipped
    PageClient.Page blank = owner.post(MANAGE + "/orders/" + order + "/ship", Map.of("carrier", "UPS",
        "trackingNumber", " "));
    assertThat(blank.status()).isEqualTo(303);
    assertThat(owner.get(blank.location()).doc().select("[data-test=manage-note]").attr("data-note"))
        .isEqualTo("invalid_field");
    assertThat(shop.get(order).getString("state")).isEqualTo("paid");

    PageClient.Page shipped = owner.post(MANAGE + "/orders/" + order + "/ship",
        Map.of("carrier", "USPS", "trackingNumber", "9400 1000 <b>0000</b>"));
    assertThat(shipped.status()).isEqualTo(303);
    assertThat(shipped.location()).startsWith(MANAGE + "?note=shipped");
    Document after = owner.get(shipped.location()).doc();
    Element shippedRow = after.selectFirst("[data-test=order][data-order-id=" + order + "]");
    assertThat(shippedRow.attr("data-state")).isEqualTo("shipped");
    assertThat(shippedRow.select("[data-test=tracking]").text()).isEqualTo("9400 1000 <b>0000</b>");
    assertThat(shippedRow.select("[data-test=ship-form]")).isEmpty();
    JsonObject api = shop.get(order);
    assertThat(api.getString("state")).isEqualTo("shipped");
    assertThat(api.getJsonObject("shipment").getString("carrier")).isEqualTo("USPS");
    // core's ledger hears it through the outbox, a moment after the answer
    StorefrontFixture.await("ledger shipped", PayingShop.WAIT, () -> !shop.ledgerFor(order, "shipped").isEmpty());
    assertThat(shop.ledgerFor(order, "shipped")).hasSize(1);

    // the buyer's order page shows the carrier and tracking
    PageClient buyer = new PageClient(base);
    String token = shop.sf.sql("SELECT buyer_token FROM orders WHERE id = $1", order).iterator().next()
        .getString("buyer_token");
    Document orderPage = buyer.get("/orders/" + order + "?token=" + token).doc();
    assertThat(orderPage.text()).contains("USPS", "9400 1000 <b>0000</b>");

    // shipping again is refused with a note, the first shipment stays
    PageClient.Page again = owner.post(MANAGE + "/orders/" + order + "/ship",
        Map.of("carrier", "UPS", "trackingNumber", "1Z-AGAIN"));
    assertThat(again.location()).startsWith(MANAGE + "?note=illegal_transition");
    assertThat(shop.get(order).getJsonObject("shipment").getString("carrier")).isEqualTo("USPS");
  }

  @Test
  void theOwnerRefundsPartlyThenFullyAndEditsACardsPriceAndFlags() throws Exception {
    long card = shop.card(3000);
    String order = paidOrder(card);
    PageClient owner = signedIn("ursula", Role.VENDOR);

    PageClient.Page part = owner.post(MANAGE + "/orders/" + order + "/refund", Map.of("amount", "10.50",
        "key", "k-" + order));
    assertThat(part.location()).as(part.toString()).startsWith(MANAGE + "?note=refunded");
    assertThat(shop.get(order).getLong("refundedCents")).isEqualTo(1050);
    PageClient.Page tooMuch = owner.post(MANAGE + "/orders/" + order + "/refund", Map.of("amount", "100"));
    assertThat(tooMuch.location()).startsWith(MANAGE + "?note=refund_exceeds_payment");
    PageClient.Page rest = owner.post(MANAGE + "/orders/" + order + "/refund", Map.of("amount", ""));
    assertThat(rest.location()).startsWith(MANAGE + "?note=refunded");
    assertThat(shop.get(order).getString("state")).isEqualTo("refunded");
    assertThat(shop.get(order).getLong("refundedCents")).isEqualTo(3000);

    long listed = shop.card(2000);
    PageClient.Page saved = owner.post(MANAGE + "/cards/" + listed, Map.of("customPrice", "$1,234.50",
        "featured", "on"));
    assertThat(saved.location()).startsWith(MANAGE + "?note=card_saved");
    JsonObject pub = shop.sf.get("/api/storefronts/" + SLUG + "/cards/" + listed).json();
    assertThat(pub.getLong("price")).isEqualTo(123450);
    assertThat(pub.getBoolean("featured")).isTrue();

    PageClient.Page bad = owner.post(MANAGE + "/cards/" + listed, Map.of("customPrice", "12,5x", "hidden", "on"));
    assertThat(bad.location()).startsWith(MANAGE + "?note=invalid_field");
    assertThat(shop.sf.get("/api/storefronts/" + SLUG + "/cards/" + listed).status()).isEqualTo(200);

    PageClient.Page hide = owner.post(MANAGE + "/cards/" + listed, Map.of("customPrice", "", "hidden", "on"));
    assertThat(hide.location()).startsWith(MANAGE + "?note=card_saved");
    assertThat(shop.sf.get("/api/storefronts/" + SLUG + "/cards/" + listed).status()).isEqualTo(404);
    Document doc = owner.get(MANAGE).doc();
    Element row = doc.selectFirst("[data-test=card][data-card-id=" + listed + "]");
    assertThat(row.attr("data-status")).isEqualTo("hidden");
    assertThat(row.select("input[name=customPrice]").val()).isEmpty();
  }

  @Test
  void anOperatorManagesAnyShopAndABuyersHomeStaysTheShopList() throws Exception {
    PageClient operator = signedIn("olga", Role.OPERATOR);
    assertThat(operator.get(MANAGE).status()).isEqualTo(200);
    PageClient anonymous = new PageClient(base);
    PageClient.Page home = anonymous.get("/");
    assertThat(home.status()).isEqualTo(200);
    assertThat(home.doc().select("h1").text()).isEqualTo("Shops");
  }

  @Test
  void aNewShopsOwnerStartsStripeOnboardingAndEditsTheShopsDetails() throws Exception {
    shop.sf.shop("otto-shop", "otto");
    String manage = "/s/otto-shop/manage";
    PageClient owner = signedIn("otto", Role.VENDOR);
    Document doc = owner.get(manage).doc();
    assertThat(doc.select("[data-test=payments-state]").attr("data-state")).isEqualTo("none");
    PageClient.Page start = owner.post(manage + "/stripe", Map.of());
    assertThat(start.status()).as(start.toString()).isEqualTo(303);
    assertThat(start.location()).startsWith(shop.sim.simulator.baseUrl() + "/connect/onboard/");
    assertThat(owner.get(manage).doc().select("[data-test=payments-state]").attr("data-state"))
        .isEqualTo("incomplete");

    Map<String, String> details = new java.util.HashMap<>(Map.of("name", "Otto's <Slabs>", "bio", "Vintage only",
        "bannerUrl", "", "preset", "dark", "palette", "ocean", "shipFrom.name", "Otto", "shipFrom.line1", "1 Main St",
        "shipFrom.city", "Austin", "shipFrom.postalCode", "73301"));
    details.put("shipFrom.country", "us");
    PageClient.Page saved = owner.post(manage + "/details", details);
    assertThat(saved.location()).as(saved.toString()).startsWith(manage + "?note=details_saved");
    JsonObject api = shop.sf.call("GET", "/api/storefronts", null, StorefrontFixture.vendor("otto")).items()
        .getJsonObject(0);
    assertThat(api.getString("name")).isEqualTo("Otto's <Slabs>");
    assertThat(api.getString("bio")).isEqualTo("Vintage only");
    assertThat(api.getJsonObject("theme")).isEqualTo(new JsonObject().put("preset", "dark").put("palette", "ocean"));
    assertThat(api.getJsonObject("shipFrom").getString("country")).isEqualTo("US");
    Document after = owner.get(manage).doc();
    assertThat(after.select("h1").text()).isEqualTo("Manage Otto's <Slabs>");
    assertThat(after.select("#d-preset option[selected]").val()).isEqualTo("dark");

    details.put("shipFrom.country", "USA");
    details.put("name", "Renamed");
    PageClient.Page bad = owner.post(manage + "/details", details);
    assertThat(bad.location()).startsWith(manage + "?note=invalid_field");
    assertThat(shop.sf.get("/api/storefronts/otto-shop").json().getString("name")).isEqualTo("Otto's <Slabs>");

    PageClient.Page stranger = signedIn("mallory", Role.VENDOR).post(manage + "/details", details);
    assertThat(stranger.status()).isEqualTo(403);
    assertThat(stranger.doc().select("h1").text()).isEqualTo("Not allowed");
  }
}
