package io.slabtrack.storefront.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.shipping.ShippoSimFixture;
import io.slabtrack.storefront.PayingShop;
import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Storefront labels against the Shippo simulator over real HTTP: the rules, once-only purchase, PDF, refund, 422. */
class ShippingLabelsTest {
  static final JsonObject SHOP_FROM = new JsonObject().put("name", "Ursula's Cards").put("line1", "9 Shop Rd")
      .put("city", "Austin").put("state", "TX").put("postalCode", "73301").put("country", "US");
  private static ShippoSimFixture shippo;
  private static PayingShop shop;
  private static String orders;

  @BeforeAll
  static void start() throws Exception {
    shippo = new ShippoSimFixture();
    shop = new PayingShop(false, shippo.env());
    orders = "/api/storefronts/" + PayingShop.SLUG + "/orders/";
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
    shippo.close();
  }

  @Test
  void theRulesPickServiceInsuranceAndShipFrom() throws Exception {
    setShopShipFrom(null);
    JsonObject cheap = buy(paid(5_000));
    assertThat(cheap.getString("service")).isEqualTo("usps_ground_advantage");
    assertThat(cheap.getLong("insuranceCents")).isZero();
    assertThat(cheap.getJsonObject("shipFrom").getString("name")).as("no shop address: the global one")
        .isEqualTo("SlabTrack HQ");

    setShopShipFrom(SHOP_FROM);
    try {
      JsonObject dear = buy(paid(25_000));
      assertThat(dear.getString("service")).isEqualTo("usps_priority");
      assertThat(dear.getString("carrier")).isEqualTo("USPS");
      assertThat(dear.getLong("insuranceCents")).isEqualTo(25_000L);
      assertThat(dear.getJsonObject("shipFrom")).as("the shop's own address").isEqualTo(SHOP_FROM);
      JsonObject under = buy(paid(20_000));
      assertThat(under.getString("service")).as("$200 exactly is not over").isEqualTo("usps_ground_advantage");
      assertThat(under.getJsonObject("shipFrom")).isEqualTo(SHOP_FROM);
    } finally {
      setShopShipFrom(null);
    }
  }

  @Test
  void twentyConcurrentClicksBuyOneLabelAndShipTheOrderOnce() throws Exception {
    String orderId = paid(3_000);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<Resp>> clicks = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        clicks.add(pool.submit((Callable<Resp>) () -> shop.call("POST", orders + orderId + "/label", null)));
      }
      List<String> labels = new ArrayList<>();
      for (Future<Resp> f : clicks) {
        Resp r = f.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        labels.add(r.json().getString("labelId") + "/" + r.json().getString("trackingNumber"));
      }
      assertThat(labels.stream().distinct()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(shippo.transactions("storefront:" + orderId)).as("labels bought at Shippo").hasSize(1);
    assertThat(shop.sf.count("SELECT count(*) FROM shipping_labels WHERE order_id = $1", orderId)).isEqualTo(1);
    JsonObject order = shop.get(orderId);
    assertThat(order.getString("state")).isEqualTo("shipped");
    assertThat(order.getJsonObject("shipment").getString("trackingNumber"))
        .isEqualTo(labels(orderId).get(0).split("/")[1]);
    StorefrontFixture.await("ledger shipped", PayingShop.WAIT, () -> shop.ledgerFor(orderId, "shipped").size() == 1);
    Thread.sleep(300);
    assertThat(shop.ledgerFor(orderId, "shipped")).as("one shipped event").hasSize(1);

    Resp again = shop.call("POST", orders + orderId + "/label", null);
    assertThat(again.status()).as("a later click: the same label").isEqualTo(200);
    assertThat(shippo.transactions("storefront:" + orderId)).hasSize(1);
  }

  @Test
  void theLabelPdfIsOneFourBySixPageAndAnUnusedLabelRefunds() throws Exception {
    String orderId = paid(4_000);
    JsonObject label = buy(orderId);
    HttpResponse<byte[]> pdf = pdf(orders + orderId + "/label");
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).contains("application/pdf");
    try (PDDocument doc = Loader.loadPDF(pdf.body())) {
      assertThat(doc.getNumberOfPages()).isEqualTo(1);
      assertThat(doc.getPage(0).getMediaBox().getWidth()).isEqualTo(288f);
      assertThat(doc.getPage(0).getMediaBox().getHeight()).isEqualTo(432f);
      assertThat(new PDFTextStripper().getText(doc)).contains("Bea Buyer");
    }

    Resp refund = shop.call("DELETE", orders + orderId + "/label", null);
    assertThat(refund.status()).as(refund.toString()).isEqualTo(200);
    assertThat(refund.json().getString("state")).isEqualTo("refunded");
    JsonObject order = shop.get(orderId);
    assertThat(order.getString("state")).as("back to paid, to ship again").isEqualTo("paid");
    assertThat(order.getJsonObject("shipment")).isNull();
    assertThat(shippo.transactions("storefront:" + orderId).get(0).getString("status")).isEqualTo("REFUNDED");
    StorefrontFixture.await("ledger paid again", PayingShop.WAIT, () -> shop.ledgerFor(orderId, "paid").stream()
        .anyMatch(e -> "label_refunded".equals(e.getString("reason"))));
    assertThat(shop.call("DELETE", orders + orderId + "/label", null).status()).as("nothing left to refund")
        .isEqualTo(404);
    assertThat(pdf(orders + orderId + "/label").statusCode()).isEqualTo(404);

    JsonObject second = buy(orderId);
    assertThat(second.getString("labelId")).isNotEqualTo(label.getString("labelId"));
    assertThat(second.getString("trackingNumber")).isNotEqualTo(label.getString("trackingNumber"));
    assertThat(shippo.transactions("storefront:" + orderId)).hasSize(2);
  }

  @Test
  void theManagePagesButtonBuysTheLabelOrSaysWhyNot() throws Exception {
    String origin = shop.sf.node.url(io.slabtrack.cluster.config.AppName.STOREFRONT, "");
    String orderId = paid(2_200);
    String form = "/s/" + PayingShop.SLUG + "/manage/orders/" + orderId + "/label";
    Resp bought = shop.sf.call("POST", form, null, shop.owner, Map.of("Origin", origin));
    assertThat(bought.status()).as(bought.toString()).isEqualTo(303);
    assertThat(bought.raw().headers().firstValue("Location").orElseThrow())
        .isEqualTo("/s/" + PayingShop.SLUG + "/manage?note=label_bought&target=" + orderId + "#" + orderId);
    assertThat(shop.get(orderId).getString("state")).isEqualTo("shipped");
    assertThat(shippo.transactions("storefront:" + orderId)).hasSize(1);

    String bad = paid(PayingShop.buyerAddress().put("postalCode", "00000"), 2_200);
    Resp refused = shop.sf.call("POST", "/s/" + PayingShop.SLUG + "/manage/orders/" + bad + "/label", null,
        shop.owner, Map.of("Origin", origin));
    assertThat(refused.raw().headers().firstValue("Location").orElseThrow()).contains("note=invalid_address");
    assertThat(shop.get(bad).getString("state")).isEqualTo("paid");
    Resp foreign = shop.sf.call("POST", form, null, shop.owner, Map.of("Origin", "https://evil.example"));
    assertThat(foreign.status()).isEqualTo(403);
    Resp page = shop.sf.call("GET", "/s/" + PayingShop.SLUG + "/manage?note=label_bought", null, shop.owner);
    assertThat(page.body()).contains("Label bought").contains("data-test=\"buy-label\"");
  }

  @Test
  void anAddressShippoRejectsIs422NamingTheFieldAndNothingIsBought() throws Exception {
    String orderId = paid(PayingShop.buyerAddress().put("postalCode", "00000"), 2_000);
    Resp r = shop.call("POST", orders + orderId + "/label", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.error()).isEqualTo("invalid_address");
    assertThat(r.field()).isEqualTo("shippingAddress.postalCode");
    assertThat(shippo.transactions("storefront:" + orderId)).isEmpty();
    assertThat(shop.sf.count("SELECT count(*) FROM shipping_labels WHERE order_id = $1", orderId)).isZero();
    assertThat(shop.get(orderId).getString("state")).isEqualTo("paid");
  }

  @Test
  void onlyAPaidOrderGetsALabelAndStrangersGetNone() throws Exception {
    String pending = shop.order(shop.card(1_000));
    Resp r = shop.call("POST", orders + pending + "/label", null);
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.error()).isEqualTo("illegal_transition");
    String paid = paid(1_000);
    shop.sf.shop("mallorys-labels", "mallory");
    assertThat(shop.sf.call("POST", orders + paid + "/label", null, StorefrontFixture.vendor("mallory")).status())
        .isEqualTo(403);
    assertThat(shop.sf.call("POST", orders + paid + "/label", null, null).status()).isEqualTo(401);
    assertThat(shop.sf.call("POST", orders + paid + "/label", null, shop.sf.operator).status())
        .as("an operator may").isEqualTo(200);
  }

  @Test
  void bulkPrintOfThirtyOrdersWithThreeBadAddressesPrintsTwentySevenPages() throws Exception {
    JsonArray ids = new JsonArray();
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      boolean broken = i % 10 == 3;
      String id = broken ? paid(PayingShop.buyerAddress().put("postalCode", "1234"), 1_500) : paid(1_500);
      ids.add(id);
      if (broken) {
        bad.add(id);
      }
    }
    // one of them already has its label: it is printed, not bought again
    buy(ids.getString(0));
    Resp r = shop.call("POST", "/api/storefronts/" + PayingShop.SLUG + "/labels/batches",
        new JsonObject().put("orderIds", ids));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().getInteger("pages")).isEqualTo(27);
    assertThat(r.json().getJsonArray("printed")).hasSize(27);
    JsonArray failures = r.json().getJsonArray("failures");
    assertThat(failures.stream().map(f -> ((JsonObject) f).getString("orderId"))).containsExactlyElementsOf(bad);
    assertThat(failures.getJsonObject(0).getString("error")).isEqualTo("invalid_address");
    assertThat(failures.getJsonObject(0).getString("field")).isEqualTo("shippingAddress.postalCode");
    assertThat(shippo.transactions("storefront:" + ids.getString(0))).hasSize(1);

    HttpResponse<byte[]> merged = pdf(r.json().getString("pdfUrl"));
    assertThat(merged.statusCode()).isEqualTo(200);
    try (PDDocument doc = Loader.loadPDF(merged.body())) {
      assertThat(doc.getNumberOfPages()).isEqualTo(27);
      for (int p = 0; p < doc.getNumberOfPages(); p++) {
        assertThat(doc.getPage(p).getMediaBox().getHeight()).isEqualTo(432f);
      }
    }
    for (Object id : ids) {
      assertThat(shop.get((String) id).getString("state")).isEqualTo(bad.contains(id) ? "paid" : "shipped");
    }
    Resp empty = shop.call("POST", "/api/storefronts/" + PayingShop.SLUG + "/labels/batches",
        new JsonObject().put("orderIds", new JsonArray()));
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.field()).isEqualTo("orderIds");
  }

  @Test
  void withoutShippoTheShippingRoutesAnswer503AndTheShopStillWorks() throws Exception {
    try (StorefrontFixture node = StorefrontFixture.startNodeMode(Map.of())) {
      node.shop("plain", "paula");
      Resp r = node.call("POST", "/api/storefronts/plain/orders/any/label", null, node.operator);
      assertThat(r.status()).as(r.toString()).isEqualTo(503);
      assertThat(r.error()).isEqualTo("shipping_not_configured");
      assertThat(node.call("GET", "/api/storefronts/plain/orders/any/label", null, node.operator).status())
          .isEqualTo(503);
      assertThat(node.call("POST", "/api/storefronts/plain/labels/batches",
          new JsonObject().put("orderIds", new JsonArray().add("x")), node.operator).status()).isEqualTo(503);
      assertThat(node.get("/api/storefronts/plain").status()).isEqualTo(200);
    }
  }

  private static List<String> labels(String orderId) throws Exception {
    List<String> out = new ArrayList<>();
    shop.sf.sql("SELECT id, tracking_number FROM shipping_labels WHERE order_id = $1", orderId)
        .forEach(row -> out.add(row.getString(0) + "/" + row.getString(1)));
    return out;
  }

  private static void setShopShipFrom(JsonObject address) {
    Resp r = shop.call("PATCH", "/api/storefronts/" + PayingShop.SLUG, new JsonObject().put("shipFrom", address));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  private static String paid(long cents) throws Exception {
    return paid(PayingShop.buyerAddress(), cents);
  }

  private static String paid(JsonObject address, long cents) throws Exception {
    String orderId = shop.order(address, shop.card(cents));
    shop.pay(orderId);
    shop.awaitState(orderId, "paid");
    return orderId;
  }

  private static JsonObject buy(String orderId) {
    Resp r = shop.call("POST", orders + orderId + "/label", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static HttpResponse<byte[]> pdf(String path) throws Exception {
    return StorefrontFixture.HTTP.send(HttpRequest.newBuilder(URI.create(shop.sf.node.url(
            io.slabtrack.cluster.config.AppName.STOREFRONT, path))).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + shop.owner).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
