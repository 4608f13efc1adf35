package io.slabtrack.storefront;

import io.slabtrack.cluster.auth.Role;
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
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real Storefront on a one-member cluster with its own throwaway database, and HTTP helpers for it. */
public final class StorefrontFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** Every answer of {@link #call} is checked against the served document's response schemas. */
  public static final ResponseContract CONTRACT = ResponseContract.of("openapi/storefront.json");

  /** Set once: by {@link #start}, or before the class's tests for {@link #perClass}. */
  public TestNode node;
  public final String operator = TestTokens.operator(TestNode.SECRET, AppName.STOREFRONT);
  public final String service = TestTokens.service(TestNode.SECRET, AppName.CORE, AppName.STOREFRONT);

  private StorefrontFixture(TestNode node) {
    this.node = node;
  }

  public static StorefrontFixture start() throws Exception {
    return start(Map.of());
  }

  public static StorefrontFixture start(Map<String, String> env) throws Exception {
    return new StorefrontFixture(TestNode.start(env, new StorefrontApp()));
  }

  /**
   * A plain Storefront for all the tests of a class, started before its {@code @BeforeAll} methods and closed after
   * its {@code @AfterAll} ones:
   * {@code @RegisterExtension static final StorefrontFixture sf = StorefrontFixture.perClass();}
   */
  public static StorefrontFixture perClass() {
    return new StorefrontFixture(null);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    node = TestNode.start(Map.of(), new StorefrontApp());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  /** The Storefront as {@code node --app storefront} runs it (no dev-mode fallbacks). */
  public static StorefrontFixture startNodeMode(Map<String, String> env) throws Exception {
    return new StorefrontFixture(TestNode.startNodeMode(env, new StorefrontApp()));
  }

  /** A vendor's Storefront session for {@code userId}. */
  public static String vendor(String userId) {
    return TestTokens.session(TestNode.SECRET, AppName.STOREFRONT, userId, Role.VENDOR);
  }

  public record Resp(int status, String body, HttpResponse<String> raw) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    public String error() {
      return json().getString("error");
    }

    public String field() {
      JsonObject details = json().getJsonObject("details");
      return details == null ? null : details.getString("field");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Resp call(String method, String path, Object body, String token) throws Exception {
    return call(method, path, body, token, Map.of());
  }

  public Resp call(String method, String path, Object body, String token, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(AppName.STOREFRONT, path)))
        .timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    String text = body == null ? null : body.toString();
    if (text != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    CONTRACT.check(method, path, r.statusCode(), r.headers().map(), r.body());
    return new Resp(r.statusCode(), r.body(), r);
  }

  public Resp get(String path) throws Exception {
    return call("GET", path, null, null);
  }

  /** Creates a shop owned by {@code ownerId} (fails the test if not 201). */
  public JsonObject shop(String slug, String ownerId) throws Exception {
    Resp r = call("POST", "/api/storefronts", new JsonObject().put("slug", slug).put("name", "Shop " + slug)
        .put("ownerId", ownerId), operator);
    if (r.status() != 201) {
      throw new AssertionError("create shop failed: " + r);
    }
    return r.json();
  }

  /** A core-shaped card event for {@code shop} (EVENT-BUS.md). */
  public static JsonObject cardEvent(String type, String shop, long cardId, long version, Long price,
                                     JsonObject card) {
    JsonObject e = new JsonObject().put("eventId", UUID.randomUUID().toString())
        .put("occurredAt", java.time.Instant.now().toString()).put("type", type).put("listingKey", "card:" + cardId)
        .put("cardId", cardId).put("version", version).put("shop", shop).put("price", price);
    if (card != null) {
      e.put("card", card.copy().put("id", cardId).put("version", version));
    }
    return e;
  }

  public static JsonObject snapshot(String player, String setName, double grade) {
    return new JsonObject().put("player", player).put("year", 2020).put("setName", setName)
        .put("gradingCompany", "PSA").put("grade", grade).put("cardNumber", "1");
  }

  /** Publishes through the HTTP ingest with a service token; returns the reply. */
  public JsonObject publish(JsonObject event) throws Exception {
    Resp r = call("POST", "/api/storefronts/" + event.getString("shop") + "/cards", event, service);
    if (r.status() != 200) {
      throw new AssertionError("publish failed: " + r);
    }
    return r.json();
  }

  public Pool pool() {
    return node.runtime(AppName.STOREFRONT).context().pool();
  }

  public RowSet<Row> sql(String sql, Object... params) throws Exception {
    return node.sql(AppName.STOREFRONT, sql, params);
  }

  public long count(String sql, Object... params) throws Exception {
    return node.count(AppName.STOREFRONT, sql, params);
  }

  /** Polls until the condition holds (never sleeps a fixed time for a result). */
  public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    io.slabtrack.cluster.testing.Poll.until(what, timeout, condition);
  }

  @Override
  public void close() throws Exception {
    node.close();
  }
}
