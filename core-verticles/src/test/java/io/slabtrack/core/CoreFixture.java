package io.slabtrack.core;

import io.slabtrack.cluster.config.AppName;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real core on a one-member cluster with its own throwaway database, and an operator's HTTP client for it. */
public final class CoreFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** Set once: by {@link #start}, or before the class's tests for {@link #perClass}. */
  public TestNode node;
  public final String operator;

  private CoreFixture(TestNode node) {
    this.node = node;
    this.operator = TestTokens.operator(TestNode.SECRET);
  }

  /**
   * A plain core for all the tests of a class, started before its {@code @BeforeAll} methods and closed after its
   * {@code @AfterAll} ones: {@code @RegisterExtension static final CoreFixture core = CoreFixture.perClass();}
   */
  public static CoreFixture perClass() {
    return new CoreFixture(null);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    node = TestNode.start(java.util.Map.of(), new CoreApp());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  public static CoreFixture start() throws Exception {
    return start(java.util.Map.of());
  }

  public static CoreFixture start(java.util.Map<String, String> env) throws Exception {
    return new CoreFixture(TestNode.start(env, new CoreApp()));
  }

  /** Core plus other modules on the same node (e.g. a channel's stand-in). */
  public static CoreFixture start(java.util.Map<String, String> env, io.slabtrack.cluster.app.AppModule... others)
      throws Exception {
    return start(java.time.Clock.systemUTC(), env, others);
  }

  /** The same with the sale-locks' clock given (a SettableClock passes a lock TTL without sleeping). */
  public static CoreFixture start(java.time.Clock clock, java.util.Map<String, String> env,
                                  io.slabtrack.cluster.app.AppModule... others) throws Exception {
    io.slabtrack.cluster.app.AppModule[] all = new io.slabtrack.cluster.app.AppModule[others.length + 1];
    all[0] = new CoreApp();
    System.arraycopy(others, 0, all, 1, others.length);
    return new CoreFixture(TestNode.start(clock, env, all));
  }

  public record Resp(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    public String error() {
      return json().getString("error");
    }

    public String field() {
      JsonObject details = json().getJsonObject("details");
      return details == null ? "<no details in " + body + ">" : details.getString("field");
    }
  }

  public Resp call(String method, String path, Object body) throws Exception {
    return call(method, path, body, operator);
  }

  public Resp call(String method, String path, Object body, String token) throws Exception {
    return send(method, path, token, "application/json",
        body == null ? null : body instanceof String s ? s : body.toString());
  }

  /** A request with any content type (CSV imports). */
  public Resp send(String method, String path, String token, String contentType, String text) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(AppName.CORE, path)))
        .timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (text != null && contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Resp(r.statusCode(), r.body());
  }

  public Resp get(String path) throws Exception {
    return call("GET", path, null);
  }

  public Resp post(String path, Object body) throws Exception {
    return call("POST", path, body);
  }

  /** Creates a card and returns it (fails the test if not 201). */
  public JsonObject createCard(JsonObject card) throws Exception {
    Resp r = post("/api/cards", card);
    if (r.status() != 201) {
      throw new AssertionError("create failed: " + r);
    }
    return r.json();
  }

  /**
   * A new card committed to these channels (the storefront's shop is "demo"); fails the test if the commit does.
   *
   * @return its id
   */
  public long cardListedOn(String player, long askingPrice, String... channels) throws Exception {
    long id = createCard(card(player, askingPrice)).getLong("id");
    JsonArray items = new JsonArray();
    for (String channel : channels) {
      JsonObject item = new JsonObject().put("cardId", id).put("channel", channel);
      items.add("storefront".equals(channel) ? item.put("shop", "demo") : item);
    }
    Resp r = post("/api/channels/commit", items);
    if (r.status() != 200) {
      throw new AssertionError("commit failed: " + r);
    }
    return id;
  }

  public static JsonObject card(String player, long askingPrice) {
    return new JsonObject().put("player", player).put("year", 2020).put("setName", "Panini Prizm")
        .put("gradingCompany", "PSA").put("grade", 10).put("askingPrice", askingPrice);
  }

  /** A real sale-lock through the shared lock service (lockRef: 16–64 of [A-Za-z0-9_-]); returns its expiry. */
  public String lock(long cardId, String channel, String lockRef, Duration ttl) throws Exception {
    var locks = node.runtime(AppName.CORE).context().saleLocks()
        .acquire(new io.slabtrack.cluster.salelock.AcquireRequest(java.util.List.of(cardId), channel, lockRef, null, ttl))
        .await(30, TimeUnit.SECONDS);
    return locks.get(0).expiresAt().toString();
  }

  public void unlock(String lockRef) throws Exception {
    node.runtime(AppName.CORE).context().saleLocks().release(lockRef).await(30, TimeUnit.SECONDS);
  }

  public Pool pool() {
    return node.runtime(AppName.CORE).context().pool();
  }

  public RowSet<Row> sql(String sql, Object... params) throws Exception {
    return node.sql(AppName.CORE, sql, params);
  }

  public long count(String sql, Object... params) throws Exception {
    return node.count(AppName.CORE, sql, params);
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
