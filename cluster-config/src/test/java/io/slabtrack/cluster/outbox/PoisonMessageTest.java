package io.slabtrack.cluster.outbox;

import static io.slabtrack.cluster.outbox.OutboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.http.FailureHandler;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messages that fail the same way every time are dead-lettered after {@code maxFailures} (not retried forever): a
 * reply handler that throws, a receiver whose handler answers 500. A receiver that is merely absent or busy (no
 * handler, 503) is waited for, however long. A dead message lets its aggregate go on, except on the addresses where
 * order matters, where it holds the aggregate until an operator replays it or releases the aggregate.
 */
class PoisonMessageTest {
  private static final ReplyRoute<JsonObject> EXPLODES = ReplyRoute.json("explodes");
  private static final String ACKS = "test.poison.acks";
  private static final String ORDERED = "test.poison.ordered";
  private static final String BROKEN = "test.poison.broken";
  private static final String BUSY = "test.poison.busy";
  private static final int MAX_FAILURES = 3;
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;
  private WebClient http;

  @BeforeEach
  void setUp() {
    db = migratedDatabase("poison");
    vertx = Vertx.vertx();
    pool = pool(vertx, db);
    Router router = Router.router(vertx);
    OutboxRoutes.mount(router, pool, ctx -> ctx.next());
    router.route().failureHandler(new FailureHandler());
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).await();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(server.actualPort()));
    for (String address : List.of(ACKS, ORDERED)) {
      vertx.eventBus().<JsonObject>consumer(address, m -> m.reply(new JsonObject().put("seq", m.body().getValue("seq"))))
          .completion().await();
    }
    vertx.eventBus().<JsonObject>consumer(BROKEN, m -> m.fail(500, "{\"error\":\"internal_error\"}")).completion().await();
    vertx.eventBus().<JsonObject>consumer(BUSY, m -> m.fail(503, "{\"error\":\"unavailable\"}")).completion().await();
    ReplyHandlers handlers = new ReplyHandlers().register(EXPLODES, (tx, request, reply) -> {
      if (request.getBoolean("poison", false)) {
        throw new IllegalStateException("cannot apply this reply");
      }
      return Future.succeededFuture();
    });
    RelayOptions options = fastRelay().withMaxFailures(MAX_FAILURES).withHoldingAddresses(Set.of(ORDERED));
    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), handlers, options)).await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  private Row row(OutboxMessage m) {
    return rows(pool, "SELECT status, attempts, failures, holds_aggregate, last_error FROM outbox WHERE event_id = $1",
        m.eventId()).get(0);
  }

  private String status(OutboxMessage m) {
    return row(m).getString("status");
  }

  @Test
  void aReplyHandlerThatThrowsIsDeadLetteredAfterMaxFailuresAndItsAggregateGoesOn() {
    OutboxMessage poison = EXPLODES.message(ACKS, "card:1", body(1, "card:1").put("poison", true));
    OutboxMessage next = EXPLODES.message(ACKS, "card:1", body(2, "card:1"));
    enqueue(pool, List.of(poison, next));

    until("the poison message is dead", () -> "dead".equals(status(poison)));
    Row dead = row(poison);
    assertThat(dead.getInteger("failures")).isEqualTo(MAX_FAILURES);
    assertThat(dead.getInteger("attempts")).isEqualTo(MAX_FAILURES);
    assertThat(dead.getString("last_error")).contains("poison message").contains("cannot apply this reply");
    assertThat(dead.getBoolean("holds_aggregate")).isFalse();
    until("the aggregate's next message delivered", () -> "delivered".equals(status(next)));

    JsonObject view = get("/api/outbox?status=dead").bodyAsJsonObject();
    assertThat(view.getJsonObject("counts").getLong("dead")).isEqualTo(1);
    JsonObject listed = view.getJsonArray("rows").getJsonObject(0);
    assertThat(listed.getString("eventId")).isEqualTo(poison.eventId().toString());
    assertThat(listed.getInteger("failures")).isEqualTo(MAX_FAILURES);
  }

  @Test
  void aReceiverWhoseHandlerAnswers500IsDeadLetteredAfterMaxFailures() {
    OutboxMessage broken = OutboxMessage.of(BROKEN, "card:2", body(1, "card:2"));
    enqueue(pool, List.of(broken));
    until("dead", () -> "dead".equals(status(broken)));
    assertThat(row(broken).getInteger("failures")).isEqualTo(MAX_FAILURES);
    assertThat(row(broken).getString("last_error")).contains("500");
  }

  @Test
  void anAbsentOrBusyReceiverIsWaitedForBeyondMaxFailures() {
    OutboxMessage busy = OutboxMessage.of(BUSY, "card:3", body(1, "card:3"));
    OutboxMessage nobody = OutboxMessage.of("test.poison.nobody", "card:4", body(1, "card:4"));
    enqueue(pool, List.of(busy, nobody));
    until("both tried more than maxFailures times",
        () -> row(busy).getInteger("attempts") > MAX_FAILURES + 1 && row(nobody).getInteger("attempts") > MAX_FAILURES + 1);
    for (OutboxMessage m : List.of(busy, nobody)) {
      assertThat(row(m).getString("status")).isEqualTo("pending");
      assertThat(row(m).getInteger("failures")).isZero();
    }
  }

  @Test
  void aDeadMessageOfAnOrderedAddressHoldsItsAggregateUntilTheOperatorLetsItGo() {
    OutboxMessage claim = EXPLODES.message(ORDERED, "order:shop:9", body(1, "order:shop:9").put("poison", true));
    OutboxMessage release = OutboxMessage.of(ORDERED, "order:shop:9", body(2, "order:shop:9"));
    OutboxMessage elsewhere = OutboxMessage.of(ORDERED, "order:shop:10", body(1, "order:shop:10"));
    enqueue(pool, List.of(claim, release, elsewhere));

    until("the claim is dead", () -> "dead".equals(status(claim)));
    assertThat(row(claim).getBoolean("holds_aggregate")).isTrue();
    until("another aggregate is not held", () -> "delivered".equals(status(elsewhere)));
    // a message enqueued after the claim died is delivered: the relay pass that took it would have taken the
    // release too, had it been free to go
    OutboxMessage later = OutboxMessage.of(ACKS, "card:11", body(1, "card:11"));
    enqueue(pool, List.of(later));
    until("a later message delivered", () -> "delivered".equals(status(later)));
    assertThat(row(release).getString("status")).isEqualTo("pending");
    assertThat(row(release).getInteger("attempts")).isZero();

    long id = rows(pool, "SELECT id FROM outbox WHERE event_id = $1", claim.eventId()).get(0).getLong(0);
    HttpResponse<Buffer> let = http.post("/api/outbox/" + id + "/release-aggregate").send().await();
    assertThat(let.statusCode()).as(let.bodyAsString()).isEqualTo(200);
    assertThat(let.bodyAsJsonObject().getBoolean("holdsAggregate")).isFalse();
    assertThat(let.bodyAsJsonObject().getString("status")).isEqualTo("dead");
    until("the release goes on", () -> "delivered".equals(status(release)));
    assertThat(http.post("/api/outbox/" + id + "/release-aggregate").send().await().statusCode()).isEqualTo(409);
  }

  private HttpResponse<Buffer> get(String uri) {
    return http.get(uri).send().await();
  }
}
