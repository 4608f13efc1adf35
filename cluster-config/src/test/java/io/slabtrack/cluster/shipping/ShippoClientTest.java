package io.slabtrack.cluster.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.shipping.LabelPurchase.Label;
import io.slabtrack.simulator.shippo.ShippoSimulatorVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Shippo client and the rules against the in-repo simulator, over real HTTP. */
class ShippoClientTest {
  static final JsonObject GLOBAL = new JsonObject().put("name", "SlabTrack HQ").put("line1", "1 Main St")
      .put("city", "San Francisco").put("state", "CA").put("postalCode", "94105").put("country", "US");
  static final JsonObject SHOP = new JsonObject().put("name", "Shop").put("line1", "9 Shop Rd")
      .put("city", "Austin").put("state", "TX").put("postalCode", "73301").put("country", "US");
  static final JsonObject BUYER = new JsonObject().put("name", "Bea Buyer").put("line1", "2 Elm St")
      .put("city", "Boston").put("state", "MA").put("postalCode", "02101").put("country", "US");

  static Vertx vertx;
  static ShippoSimulatorVerticle sim;
  static LabelPurchase labels;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sim = new ShippoSimulatorVerticle(new JsonObject().put("port", 0));
    vertx.deployVerticle(sim).await();
    labels = new LabelPurchase(new ShippoClient(vertx, ShippoSettings.forSimulator(sim.baseUrl(), GLOBAL)));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void underTwoHundredDollarsTheCheapestAllowedRateUninsuredFromTheGlobalAddress() throws Exception {
    Label label = labels.buy(null, BUYER, 19_999, 1, "test:cheap", "k-" + System.nanoTime()).await();
    assertThat(label.service()).isEqualTo("usps_ground_advantage");
    assertThat(label.carrier()).isEqualTo("USPS");
    assertThat(label.insuranceCents()).isZero();
    assertThat(label.shipFrom()).isEqualTo(GLOBAL);
    assertThat(label.trackingNumber()).startsWith("9400");
    assertThat(label.costCents()).isPositive();
    // the cheapest of the allowed services, not of every service the carrier offers
    JsonArray rates = labels.shippo().shipment(GLOBAL, BUYER, ShippingRules.parcel(1), 0, "x").await()
        .getJsonArray("rates");
    long cheapestAllowed = rates.stream().map(JsonObject.class::cast)
        .filter(r -> ShippoSettings.DEFAULT_SERVICES.contains(ShippingRules.service(r)))
        .mapToLong(r -> ShippoClient.cents(r.getString("amount"))).min().orElseThrow();
    assertThat(label.costCents()).isEqualTo(cheapestAllowed);

    byte[] pdf = labels.shippo().download(label.labelUrl()).await().getBytes();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertThat(doc.getNumberOfPages()).isEqualTo(1);
      PDRectangle box = doc.getPage(0).getMediaBox();
      assertThat(box.getWidth()).isEqualTo(288f);
      assertThat(box.getHeight()).isEqualTo(432f);
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("Bea Buyer").contains("SlabTrack HQ").contains("Ground Advantage");
    }
  }

  @Test
  void overTwoHundredDollarsUspsPriorityInsuredForTheOrderValueFromTheShopsAddress() {
    Label label = labels.buy(SHOP, BUYER, 20_001, 2, "test:priority", "k-" + System.nanoTime()).await();
    assertThat(label.service()).isEqualTo("usps_priority");
    assertThat(label.insuranceCents()).isEqualTo(20_001);
    assertThat(label.shipFrom()).isEqualTo(SHOP);
    Label exactly = labels.buy(SHOP, BUYER, 20_000, 1, "test:200", "k-" + System.nanoTime()).await();
    assertThat(exactly.service()).as("$200 is not over $200").isEqualTo("usps_ground_advantage");
  }

  @Test
  void aBadAddressIs422NamingTheFieldAndNothingIsBought() {
    int before = transactions();
    ApiException e = failure(labels.buy(null, BUYER.copy().put("postalCode", "00000"), 5_000, 1, "test:bad", "k-" + System.nanoTime()));
    assertThat(e.status()).isEqualTo(422);
    assertThat(e.code()).isEqualTo("invalid_address");
    assertThat(e.details().getString("field")).isEqualTo("shippingAddress.postalCode");
    ApiException street = failure(labels.buy(null, BUYER.copy().put("line1", "1 Undeliverable Way"), 5_000, 1, "b", "k-" + System.nanoTime()));
    assertThat(street.details().getString("field")).isEqualTo("shippingAddress.line1");
    ApiException from = failure(labels.buy(SHOP.copy().put("city", " "), BUYER, 5_000, 1, "test:from", "k-" + System.nanoTime()));
    assertThat(from.status()).isEqualTo(422);
    assertThat(from.details().getString("field")).isEqualTo("shipFrom.city");
    assertThat(transactions()).isEqualTo(before);
  }

  @Test
  void unusedLabelsRefundUsedOnesAreRefusedAndTrackingReachesTheWebhook() throws Exception {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    HttpServer hook = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      received.add(new JsonObject().put("query", req.query()).put("body", b.toJsonObject()));
      req.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1").await();
    sim.addWebhook("http://127.0.0.1:" + hook.actualPort() + "/hook?token=t0k3n");

    Label unused = labels.buy(null, BUYER, 1_000, 1, "test:refund", "k-" + System.nanoTime()).await();
    assertThat(labels.shippo().refund(unused.transactionId()).await().getString("status")).isEqualTo("SUCCESS");

    Label used = labels.buy(null, BUYER, 1_000, 1, "test:used", "k-" + System.nanoTime()).await();
    JsonObject answer = WebClient.create(vertx).postAbs(sim.baseUrl() + "/_sim/tracks/" + used.trackingNumber())
        .sendJsonObject(new JsonObject().put("status", "TRANSIT").put("substatus", "out_for_delivery")).await()
        .bodyAsJsonObject();
    assertThat(answer.getJsonArray("delivered")).containsExactly(200);
    assertThat(received).hasSize(1);
    assertThat(received.get(0).getString("query")).isEqualTo("token=t0k3n");
    JsonObject data = received.get(0).getJsonObject("body").getJsonObject("data");
    assertThat(received.get(0).getJsonObject("body").getString("event")).isEqualTo("track_updated");
    assertThat(data.getString("tracking_number")).isEqualTo(used.trackingNumber());
    assertThat(data.getJsonObject("tracking_status").getJsonObject("substatus").getString("code"))
        .isEqualTo("out_for_delivery");
    ApiException refused = failure(labels.shippo().refund(used.transactionId()));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("refund_refused");
  }

  @Test
  void theSameIdempotencyKeyBuysOneLabel() {
    Label first = labels.buy(null, BUYER, 1_000, 1, "test:idem", "label-idem-1").await();
    Label again = labels.buy(null, BUYER, 1_000, 1, "test:idem", "label-idem-1").await();
    assertThat(again.transactionId()).isEqualTo(first.transactionId());
    assertThat(again.trackingNumber()).isEqualTo(first.trackingNumber());
    Label other = labels.buy(null, BUYER, 1_000, 1, "test:idem", "label-idem-2").await();
    assertThat(other.transactionId()).isNotEqualTo(first.transactionId());
  }

  @Test
  void aWrongTokenIs502AndNoTokenIsShippingNotConfigured() {
    ShippoSettings wrong = new ShippoSettings(Optional.of("nope"), sim.baseUrl(), false, 0, Optional.empty(),
        Optional.of(GLOBAL), List.of("usps_priority"), "usps_priority", 20_000);
    assertThat(failure(new LabelPurchase(new ShippoClient(vertx, wrong)).buy(null, BUYER, 1, 1, "x", "k-" + System.nanoTime())).status())
        .isEqualTo(502);
    ShippoSettings none = ShippoSettings.load(new Settings(Map.of()), RunMode.NODE);
    assertThat(none.configured()).isFalse();
    ApiException e = failure(new LabelPurchase(new ShippoClient(vertx, none)).buy(null, BUYER, 1, 1, "x", "k-" + System.nanoTime()));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.code()).isEqualTo("shipping_not_configured");
    ShippoSettings noFrom = new ShippoSettings(Optional.of(ShippoSettings.SIMULATOR_TOKEN), sim.baseUrl(), true, 0,
        Optional.empty(), Optional.empty(), List.of("usps_priority"), "usps_priority", 20_000);
    assertThat(failure(new LabelPurchase(new ShippoClient(vertx, noFrom)).buy(null, BUYER, 1, 1, "x", "k-" + System.nanoTime())).code())
        .isEqualTo("ship_from_not_configured");
  }

  @Test
  void settingsDevDefaultsNodeRequirementsAndBadValues() {
    ShippoSettings dev = ShippoSettings.load(new Settings(Map.of()), RunMode.DEV);
    assertThat(dev.simulator()).isTrue();
    assertThat(dev.apiBase()).isEqualTo("http://127.0.0.1:12112");
    assertThat(dev.globalShipFrom()).contains(ShippoSettings.DEV_SHIP_FROM);
    assertThat(dev.webhookToken()).contains("shippo_dev_webhook");
    ShippoSettings node = ShippoSettings.load(new Settings(Map.of("SHIPPO_API_TOKEN", "shippo_live_abc",
        "SHIP_FROM_NAME", "A", "SHIP_FROM_LINE1", "1 B St", "SHIP_FROM_CITY", "C", "SHIP_FROM_POSTAL_CODE", "10001",
        "SHIP_FROM_COUNTRY", "us", "SHIPPO_ALLOWED_SERVICES", "usps_priority, ups_ground")), RunMode.NODE);
    assertThat(node.apiBase()).isEqualTo(ShippoSettings.REAL_API_BASE);
    assertThat(node.webhookToken()).as("no dev token with real Shippo").isEmpty();
    assertThat(node.globalShipFrom().get().getString("country")).isEqualTo("US");
    assertThat(node.allowedServices()).containsExactly("usps_priority", "ups_ground");
    assertThatThrownBy(() -> ShippoSettings.load(new Settings(Map.of("SHIPPO_API_TOKEN", "sk_test_x")), RunMode.NODE))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SHIPPO_API_TOKEN");
    assertThatThrownBy(() -> ShippoSettings.load(new Settings(Map.of("SHIP_FROM_NAME", "A")), RunMode.NODE))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SHIP_FROM_LINE1");
  }

  private static int transactions() {
    return WebClient.create(vertx).getAbs(sim.baseUrl() + "/_sim/transactions").send().await().bodyAsJsonObject()
        .getJsonArray("results").size();
  }

  private static ApiException failure(Future<?> f) {
    Throwable t = f.map(x -> (Throwable) null).otherwise(e -> e).await();
    assertThat(t).isInstanceOf(ApiException.class);
    return (ApiException) t;
  }
}
