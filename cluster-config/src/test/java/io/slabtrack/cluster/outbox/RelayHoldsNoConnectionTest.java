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
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay holds no database connection while a request is on the bus, nor while a reply handler's slow step
 * ({@link ReplyHandler#prepare}, where a Stripe call goes) runs. With a pool of ONE connection shared by the relay, the
 * receiving inbox (an app's messages to itself) and the reply handler's own read, every message is delivered and
 * applied on its first attempt; a relay that kept its transaction open over the request starved the receiver until
 * the request timed out.
 */
class RelayHoldsNoConnectionTest {
  private static final String ADDRESS = "test.self";
  private static final ReplyRoute<JsonObject> HANDLER = ReplyRoute.json("self-answer");
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    db = migratedDatabase("relaynoconn");
    vertx = Vertx.vertx();
    Pool setup = pool(vertx, db);
    setup.query("CREATE TABLE received (seq int)").execute().await();
    setup.query("CREATE TABLE answered (seq int, prepared_count bigint)").execute().await();
    setup.close().await();
    pool = PgPools.create(vertx, db, 1);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void anAppsMessagesToItselfGoOutOnTheirFirstAttemptWithAPoolOfOneConnection() {
    Inbox.consume(vertx, pool, ADDRESS, (tx, body) -> tx.preparedQuery("INSERT INTO received VALUES ($1)")
        .execute(Tuple.of(body.getInteger("seq"))).map(new JsonObject())).await();
    List<OutboxMessage> messages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      messages.add(OutboxMessage.of(ADDRESS, "self:" + (i % 4), body(i, "self:" + (i % 4))));
    }
    enqueue(pool, messages);
    long started = System.nanoTime();
    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), ReplyHandlers.none(),
        fastRelay().withRequestTimeoutMillis(2_000).withBackoff(5_000, 5_000))).await();

    until("all delivered", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == 20);
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE attempts <> 1")).as("no timed-out attempt").isZero();
    assertThat(tookMs).as("well under one request timeout per message").isLessThan(4_000);
    assertThat(count(pool, "SELECT count(DISTINCT seq) FROM received")).isEqualTo(20);
  }

  @Test
  void aReplyHandlersSlowStepRunsHoldingNoConnection() {
    Inbox.consume(vertx, pool, ADDRESS, (tx, body) -> tx.preparedQuery("INSERT INTO received VALUES ($1)")
        .execute(Tuple.of(body.getInteger("seq"))).map(new JsonObject().put("seq", body.getInteger("seq")))).await();
    ReplyHandlers handlers = new ReplyHandlers().register(HANDLER, new ReplyRoute.Handler<JsonObject>() {
      @Override
      public Future<JsonObject> prepare(JsonObject request, JsonObject reply) {
        // a read on the same pool, as a claim answer's prepare reads its order before calling Stripe
        return pool.query("SELECT count(*) FROM received").execute()
            .map(rows -> reply.copy().put("received", rows.iterator().next().getLong(0)));
      }

      @Override
      public Future<Void> apply(SqlConnection tx, JsonObject request, JsonObject reply) {
        return tx.preparedQuery("INSERT INTO answered VALUES ($1, $2)")
            .execute(Tuple.of(reply.getInteger("seq"), reply.getLong("received"))).mapEmpty();
      }
    });
    List<OutboxMessage> messages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      messages.add(HANDLER.message(ADDRESS, "self:" + (i % 4), body(i, "self:" + (i % 4))));
    }
    enqueue(pool, messages);
    RelayOptions options = fastRelay().withRequestTimeoutMillis(2_000).withBackoff(5_000, 5_000);
    long started = System.nanoTime();
    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), handlers, options)).await();

    until("all delivered", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == 20);
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE attempts <> 1")).as("no timed-out attempt").isZero();
    assertThat(tookMs).as("well under one request timeout per message").isLessThan(4_000);
    assertThat(count(pool, "SELECT count(DISTINCT seq) FROM received")).isEqualTo(20);
    assertThat(count(pool, "SELECT count(*) FROM answered WHERE prepared_count >= 1")).isEqualTo(20);
  }
}
