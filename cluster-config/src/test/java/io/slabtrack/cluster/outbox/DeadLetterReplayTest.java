package io.slabtrack.cluster.outbox;

import static io.slabtrack.cluster.outbox.OutboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.http.FailureHandler;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Permanent rejections are dead-lettered without blocking the aggregate, and an operator can replay them. */
class DeadLetterReplayTest {
  private static final String ADDRESS = "test.deadletter";
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;
  private WebClient http;
  private final AtomicBoolean accepting = new AtomicBoolean(false);

  @BeforeEach
  void setUp() {
    db = migratedDatabase("deadletter");
    vertx = Vertx.vertx();
    pool = pool(vertx, db);
    pool.query("CREATE TABLE applied (event_id uuid, seq int)").execute().await();
    Router router = Router.router(vertx);
    OutboxRoutes.mount(router, pool, ctx -> ctx.next());
    router.route().failureHandler(new FailureHandler());
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).await();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(server.actualPort()));
    Inbox.consume(vertx, pool, ADDRESS, (tx, body) -> {
      if (body.getBoolean("poison", false) && !accepting.get()) {
        throw new InboxRejection("price_too_low", "pull average below $15");
      }
      return tx.preparedQuery("INSERT INTO applied VALUES ($1, $2)")
          .execute(Tuple.of(UUID.fromString(body.getString("eventId")), body.getInteger("seq")))
          .map(new JsonObject().put("accepted", true));
    }).await();
    // a poll far longer than the test: every wake-up below must come from LISTEN/NOTIFY
    RelayOptions noPolling = fastRelay().withPollMillis(60_000);
    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), ReplyHandlers.none(), noPolling))
        .await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void aRejectedMessageIsDeadLetteredTheAggregateProceedsAndAReplayDeliversIt() {
    OutboxMessage first = OutboxMessage.of(ADDRESS, "card:7", body(1, "card:7"));
    OutboxMessage poison = OutboxMessage.of(ADDRESS, "card:7", body(2, "card:7").put("poison", true));
    OutboxMessage third = OutboxMessage.of(ADDRESS, "card:7", body(3, "card:7"));
    enqueue(pool, List.of(first, poison, third));

    until("first and third delivered", () -> count(pool, "SELECT count(*) FROM applied") == 2);
    assertThat(rows(pool, "SELECT seq FROM applied ORDER BY seq").stream().map(r -> r.getInteger(0)))
        .containsExactly(1, 3);
    var dead = rows(pool, "SELECT id, status, last_error FROM outbox WHERE event_id = $1", poison.eventId()).get(0);
    assertThat(dead.getString("status")).isEqualTo("dead");
    assertThat(dead.getString("last_error")).contains("422").contains("price_too_low");
    long deadId = dead.getLong("id");

    JsonObject view = get("/api/outbox").bodyAsJsonObject();
    assertThat(view.getJsonObject("counts").getMap())
        .containsEntry("dead", 1).containsEntry("delivered", 2).containsEntry("pending", 0);
    assertThat(view.getJsonArray("rows")).hasSize(1);
    assertThat(view.getJsonArray("rows").getJsonObject(0).getString("eventId")).isEqualTo(poison.eventId().toString());

    accepting.set(true);
    HttpResponse<Buffer> replay = http.post("/api/outbox/" + deadId + "/replay").send().await();
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.bodyAsJsonObject().getString("status")).isEqualTo("pending");
    assertThat(replay.bodyAsJsonObject().getInteger("attempts")).isZero();

    until("replayed message applied", () -> count(pool, "SELECT count(*) FROM applied WHERE seq = 2") == 1);
    until("replayed row delivered",
        () -> count(pool, "SELECT count(*) FROM outbox WHERE id = $1 AND status = 'delivered'", deadId) == 1);
    assertThat(http.post("/api/outbox/" + deadId + "/replay").send().await().statusCode()).isEqualTo(409);
    assertThat(http.post("/api/outbox/999999/replay").send().await().statusCode()).isEqualTo(404);
    HttpResponse<Buffer> badId = http.post("/api/outbox/abc/replay").send().await();
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(badId.bodyAsJsonObject().getString("error")).isEqualTo("invalid_field");
  }

  @Test
  void theOperatorViewCountsByStatusAndValidatesItsQuery() {
    enqueue(pool, List.of(
        OutboxMessage.of(ADDRESS, "card:1", body(1, "card:1")),
        OutboxMessage.of(ADDRESS, "card:2", body(1, "card:2").put("poison", true))));
    until("both settled", () -> count(pool, "SELECT count(*) FROM outbox WHERE status <> 'pending'") == 2);
    // a pending row nobody can receive yet, tried at least once
    enqueue(pool, List.of(OutboxMessage.of("test.nobody", "card:3", body(1, "card:3"))));
    until("retrying", () -> count(pool, "SELECT count(*) FROM outbox WHERE attempts > 0 AND status = 'pending'") == 1);

    HttpResponse<Buffer> all = get("/api/outbox");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.bodyAsJsonObject().getJsonObject("counts").getMap())
        .containsEntry("pending", 1).containsEntry("retrying", 1).containsEntry("dead", 1).containsEntry("delivered", 1);
    JsonObject row = all.bodyAsJsonObject().getJsonArray("rows").getJsonObject(0);
    assertThat(row.getString("address")).isEqualTo("test.nobody");
    assertThat(row.getString("nextAttemptAt")).endsWith("Z");
    assertThat(row.getString("lastError")).contains("NO_HANDLERS");
    assertThat(get("/api/outbox?status=delivered&limit=1").bodyAsJsonObject().getJsonArray("rows")).hasSize(1);
    assertThat(get("/api/outbox?status=dead").bodyAsJsonObject().getJsonArray("rows").getJsonObject(0)
        .getString("status")).isEqualTo("dead");

    for (String bad : List.of("limit=201", "limit=0", "limit=ten", "status=lost")) {
      HttpResponse<Buffer> r = get("/api/outbox?" + bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.getHeader("Content-Type")).startsWith("application/json");
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("invalid_field");
      assertThat(r.bodyAsJsonObject().getJsonObject("details").getString("field")).isIn("limit", "status");
    }
  }

  private HttpResponse<Buffer> get(String uri) {
    return http.get(uri).send().await();
  }
}
