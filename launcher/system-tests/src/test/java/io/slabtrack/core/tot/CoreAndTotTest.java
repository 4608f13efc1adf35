package io.slabtrack.core.tot;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.salelock.AcquireRequest;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.tot.TotApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lives in core's tests because core already depends on tot-verticles (test scope); the reverse would be a cycle.
 * The real core and ToT on one node: publish → listing, disengage → withdrawn, a play's claim decided by core. */
class CoreAndTotTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String WEBHOOK_SECRET = "whsec_test_tot";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static StripeSimFixture sim;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.TOT);
    node = TestNode.start(Map.of("STRIPE_SIMULATOR", "true", "STRIPE_API_BASE", sim.simulator.baseUrl(),
        "TOT_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET), new CoreApp(), new TotApp());
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", node.url(AppName.TOT, "/api/stripe/webhook")).put("secret", WEBHOOK_SECRET));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    sim.close();
  }

  private static HttpResponse<String> call(AppName app, String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(app, path))).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TestTokens.operator(TestNode.SECRET, app));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode()));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static RowSet<Row> sql(AppName app, String sql, Object... params) throws Exception {
    return node.runtime(app).context().pool().preparedQuery(sql).execute(Tuple.from(params))
        .await(30, TimeUnit.SECONDS);
  }

  private static String one(AppName app, String sql, Object... params) {
    try {
      RowSet<Row> rows = sql(app, sql, params);
      return rows.rowCount() == 0 ? "" : String.valueOf(rows.iterator().next().getValue(0));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long coreCard(String player, long price) throws Exception {
    HttpResponse<String> r = call(AppName.CORE, "POST", "/api/cards", new JsonObject().put("player", player)
        .put("year", 2020).put("setName", "Prizm").put("gradingCompany", "PSA").put("grade", 10)
        .put("askingPrice", price));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getLong("id");
  }

  private static long listedInTot(long cardId) throws Exception {
    CoreFixture.await("listing for card " + cardId, WAIT,
        () -> one(AppName.TOT, "SELECT status FROM listings WHERE listing_key = $1", "card:" + cardId).equals("ACTIVE"));
    return Long.parseLong(one(AppName.TOT, "SELECT id FROM listings WHERE listing_key = $1", "card:" + cardId));
  }

  @Test
  void publishInCoreListsInTotAndADisengageWithdrawsIt() throws Exception {
    long card = coreCard("Ja Morant", 4_200);
    assertThat(call(AppName.CORE, "POST", "/api/cards/" + card + "/channels/thisorthat", null).statusCode())
        .isEqualTo(200);
    long listing = listedInTot(card);
    JsonObject l = new JsonObject(call(AppName.TOT, "GET", "/api/listings/" + listing, null).body());
    assertThat(l.getJsonObject("flipConfig").getLong("cardValue")).isEqualTo(4_200);
    assertThat(l.getJsonArray("cards").getJsonObject(0).getString("player")).isEqualTo("Ja Morant");
    assertThat(call(AppName.CORE, "DELETE", "/api/cards/" + card + "/channels/thisorthat", null).statusCode())
        .isEqualTo(204);
    CoreFixture.await("withdrawn", WAIT, () -> one(AppName.TOT, "SELECT status FROM listings WHERE id = $1", listing)
        .equals("WITHDRAWN"));
  }

  @Test
  void aPlayHoldingTheLockBeatsAStorefrontCheckoutAndCoreRecordsOneSale() throws Exception {
    long card = coreCard("Race", 3_000);
    call(AppName.CORE, "POST", "/api/cards/" + card + "/channels/thisorthat", null);
    call(AppName.CORE, "POST", "/api/cards/" + card + "/channels/storefront",
        new JsonObject().put("shop", "demo").put("price", 3_500));
    long listing = listedInTot(card);
    HttpResponse<String> play = call(AppName.TOT, "POST", "/api/play/flip", new JsonObject()
        .put("listingIds", new JsonArray().add(listing)).put("email", "racer@example.com")
        .put("shippingAddress", new JsonObject().put("name", "R").put("line1", "1 Main").put("city", "Memphis")
            .put("postalCode", "38103").put("country", "US")));
    assertThat(play.statusCode()).as(play.body()).isEqualTo(201);
    String playId = new JsonObject(play.body()).getString("playId");

    // the Storefront's checkout for the same card now finds it locked: its buyer is never charged
    Throwable storefront = node.runtime(AppName.TOT).context().saleLocks()
        .acquire(AcquireRequest.of(List.of(card), "storefront", "sf-race-0123456789abcdef", "sf-order-race",
            Duration.ofMinutes(10), Duration.ofMinutes(30)))
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
    assertThat(storefront).isInstanceOfSatisfying(io.slabtrack.cluster.http.ApiException.class,
        e -> assertThat(e.status()).isEqualTo(409));

    String pi = one(AppName.TOT, "SELECT payment_intent_id FROM plays WHERE id = $1", playId);
    sim.control("/_sim/payment_intents/" + pi + "/authorize", new JsonObject());
    CoreFixture.await("settled through core's claim", WAIT,
        () -> one(AppName.TOT, "SELECT status FROM plays WHERE id = $1", playId).equals("SETTLED"));
    assertThat(one(AppName.CORE, "SELECT listing_status FROM cards WHERE id = $1", card)).isEqualTo("sold");
    assertThat(one(AppName.CORE, "SELECT sold_channel FROM cards WHERE id = $1", card)).isEqualTo("thisorthat");
    assertThat(one(AppName.CORE, "SELECT status FROM card_channels WHERE card_id = $1 AND channel = 'storefront'",
        card)).isEqualTo("inactive");
    assertThat(one(AppName.TOT, "SELECT status FROM listings WHERE id = $1", listing)).isEqualTo("COMPLETED");
    String orderId = one(AppName.TOT, "SELECT id FROM orders WHERE play_id = $1", playId);
    CoreFixture.await("core's ledger has the paid order", WAIT, () -> one(AppName.CORE,
        "SELECT state FROM channel_orders WHERE channel = 'thisorthat' AND order_ref = $1", orderId).equals("paid"));
  }
}
