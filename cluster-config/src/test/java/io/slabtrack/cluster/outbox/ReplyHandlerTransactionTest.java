package io.slabtrack.cluster.outbox;

import static io.slabtrack.cluster.outbox.OutboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reply's effect commits with "delivered": never one without the other, never twice, across a restart. */
class ReplyHandlerTransactionTest {
  private static final String ADDRESS = "test.claims";
  private static final ReplyRoute<JsonObject> HANDLER = ReplyRoute.json("claim-answer");
  private final java.util.Set<Integer> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final int MESSAGES = 300;
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    db = migratedDatabase("replyhandler");
    vertx = Vertx.vertx();
    pool = pool(vertx, db);
    // no key on purpose: a second application of one reply must show up as a second row
    pool.query("CREATE TABLE answers (event_id uuid, answer text)").execute().await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void theReplyHandlersEffectLandsExactlyWithDeliveredAcrossARedeploy() {
    // the receiver answers after a little while, so the redeploy below falls in the middle of the work
    Inbox.consume(vertx, pool, ADDRESS, (tx, body) -> {
      String answer = body.getInteger("seq") % 2 == 0 ? "won" : "lost";
      return vertx.timer(2).map(new JsonObject().put("result", answer));
    }).await();
    ReplyHandlers handlers = new ReplyHandlers().register(HANDLER, (tx, request, reply) ->
        tx.preparedQuery("INSERT INTO answers VALUES ($1, $2)")
            .execute(Tuple.of(java.util.UUID.fromString(request.getString("eventId")), reply.getString("result")))
            // every 7th row fails after its insert on the first try: only that row's work may be undone
            .compose(r -> request.getInteger("seq") % 7 == 0 && failedOnce.add(request.getInteger("seq"))
                ? tx.query("SELECT 1 / 0").execute().mapEmpty()
                : Future.<Void>succeededFuture()));

    List<OutboxMessage> messages = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      messages.add(HANDLER.message(ADDRESS, "claim:" + (i % 60), body(i, "claim:" + (i % 60))));
    }
    enqueue(pool, messages);
    RelayOptions options = fastRelay().withBatchSize(10);

    String first = vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), handlers, options))
        .await();
    until("some delivered", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'") >= 60);
    vertx.undeploy(first).await();
    long deliveredMidway = count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'");
    assertThat(deliveredMidway).isLessThan(MESSAGES);
    assertConsistent();

    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), handlers, options)).await();
    until("all delivered", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == MESSAGES);
    assertConsistent();
    assertThat(count(pool, "SELECT count(*) FROM answers")).isEqualTo(MESSAGES);
    // the failing rows were retried, and their first (rolled back) insert left nothing behind
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE (payload->>'seq')::int % 7 = 0 AND attempts >= 2"))
        .isEqualTo((MESSAGES + 6) / 7);
  }

  /** Every delivered row has exactly one answer, equal to its stored reply; no other row has any. */
  private void assertConsistent() {
    assertThat(count(pool, "SELECT count(*) FROM (SELECT event_id FROM answers GROUP BY event_id"
        + " HAVING count(*) > 1) twice")).isZero();
    assertThat(count(pool, "SELECT count(*) FROM outbox o WHERE o.status = 'delivered' AND NOT EXISTS"
        + " (SELECT 1 FROM answers a WHERE a.event_id = o.event_id AND a.answer = o.reply->>'result')")).isZero();
    assertThat(count(pool, "SELECT count(*) FROM answers a JOIN outbox o ON o.event_id = a.event_id"
        + " WHERE o.status <> 'delivered'")).isZero();
  }
}
