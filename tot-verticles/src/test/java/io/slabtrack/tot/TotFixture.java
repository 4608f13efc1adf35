package io.slabtrack.tot;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.ResponseContract;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A real ToT on a one-member cluster with its own throwaway database, plus HTTP and ingest helpers. */
public final class TotFixture implements AutoCloseable {
  public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** Every answer of {@link #call} is checked against the served document's response schemas. */
  public static final ResponseContract CONTRACT = ResponseContract.of("openapi/tot.json");

  public final TestNode node;
  public final String operator = TestTokens.operator(TestNode.SECRET, AppName.TOT);
  public final String service = TestTokens.service(TestNode.SECRET, AppName.CORE, AppName.TOT);

  private TotFixture(TestNode node) {
    this.node = node;
  }

  public static TotFixture start() throws Exception {
    return start(Map.of());
  }

  public static TotFixture start(Map<String, String> env) throws Exception {
    return new TotFixture(TestNode.start(env, new TotApp()));
  }

  public record Resp(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String error() {
      return json().getString("error");
    }
  }

  public Resp call(String method, String path, Object body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(AppName.TOT, path)))
        .timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    CONTRACT.check(method, path, r.statusCode(), r.headers().map(), r.body());
    return new Resp(r.statusCode(), r.body());
  }

  public Resp get(String path) throws Exception {
    return call("GET", path, null, null);
  }

  /** Delivers a message as core's relay does (bus, durable inbox) and returns the reply. */
  public JsonObject ingest(JsonObject message) throws Exception {
    return node.vertx().eventBus().<JsonObject>request(Addresses.TOT_CARDS_PUBLISH, message)
        .await(30, TimeUnit.SECONDS).body();
  }

  public static JsonObject card(long id, long version, long price) {
    return new JsonObject().put("id", id).put("player", "Player " + id).put("year", 2020).put("setName", "Prizm")
        .put("gradingCompany", "PSA").put("grade", 10).put("askingPrice", price).put("version", version)
        .put("pullEligible", true).put("flipEligible", true);
  }

  public static JsonObject single(String type, long cardId, long version, long price) {
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("occurredAt", Instant.now().toString())
        .put("type", type).put("listingKey", "card:" + cardId).put("cardId", cardId).put("version", version)
        .put("price", price).put("card", card(cardId, version, price)).putNull("lot");
  }

  public static JsonObject lot(String type, String lotKey, long version, long... idAndPrice) {
    JsonArray cards = new JsonArray();
    JsonArray ids = new JsonArray();
    long total = 0;
    for (int i = 0; i < idAndPrice.length; i += 2) {
      cards.add(card(idAndPrice[i], version, idAndPrice[i + 1]).put("price", idAndPrice[i + 1]));
      ids.add(idAndPrice[i]);
      total += idAndPrice[i + 1];
    }
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("occurredAt", Instant.now().toString())
        .put("type", type).put("listingKey", "lot:" + lotKey).put("version", version).put("price", total)
        .put("lot", new JsonObject().put("lotKey", lotKey).put("cardIds", ids).put("size", ids.size()))
        .put("cards", cards);
  }

  public Pool pool() {
    return node.runtime(AppName.TOT).context().pool();
  }

  public RowSet<Row> sql(String sql, Object... params) throws Exception {
    return node.sql(AppName.TOT, sql, params);
  }

  /** A listing's status column. */
  public String listingStatus(long id) throws Exception {
    return sql("SELECT status FROM listings WHERE id = $1", id).iterator().next().getString(0);
  }

  /** The cards of a listing. */
  public List<Long> cardsOf(long listingId) throws Exception {
    List<Long> out = new ArrayList<>();
    sql("SELECT card_id FROM listing_cards WHERE listing_id = $1", listingId).forEach(r -> out.add(r.getLong(0)));
    return out;
  }

  /** Whether any of the cards holds a sale-lock. */
  public boolean locked(List<Long> cards) throws Exception {
    return !node.runtime(AppName.TOT).context().saleLocks().holders(cards).await(10, TimeUnit.SECONDS).isEmpty();
  }

  public long count(String sql, Object... params) throws Exception {
    return node.count(AppName.TOT, sql, params);
  }

  @Override
  public void close() throws Exception {
    node.close();
  }
}
