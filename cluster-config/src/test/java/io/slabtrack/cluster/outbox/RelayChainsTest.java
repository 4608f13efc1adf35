package io.slabtrack.cluster.outbox;

import static io.slabtrack.cluster.outbox.OutboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pass delivers several rows of an aggregate (its head, then its followers, each in an envelope sent once the one
 * before it was answered) without breaking the aggregate's order, whatever fails on the way.
 */
class RelayChainsTest {
  private static final String ADDRESS = "test.chains";
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;
  /**
   * Events whose handler throws this many more times, by "aggregate/seq" (an envelope tries a failing event twice:
   * straight through, then with a savepoint per event).
   */
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final AtomicInteger envelopes = new AtomicInteger();

  @BeforeEach
  void setUp() {
    db = migratedDatabase("chains");
    vertx = Vertx.vertx();
    pool = pool(vertx, db);
    pool.query("CREATE TABLE applied (n bigserial PRIMARY KEY, event_id uuid UNIQUE, aggregate text, seq int)")
        .execute().await();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (Inbox.batchAddress(ADDRESS).equals(ctx.message().address())) {
        envelopes.incrementAndGet();
      }
      ctx.next();
    });
    Inbox.consume(vertx, pool, ADDRESS, (tx, body) -> {
      String key = body.getString("aggregate") + "/" + body.getInteger("seq");
      Integer left = failures.computeIfPresent(key, (k, n) -> n - 1);
      if (left != null && left >= 0) {
        throw new IllegalStateException("fails this once");
      }
      return tx.preparedQuery("INSERT INTO applied (event_id, aggregate, seq) VALUES ($1, $2, $3)")
          .execute(Tuple.of(UUID.fromString(body.getString("eventId")), body.getString("aggregate"),
              body.getInteger("seq")))
          .map(new JsonObject().put("seq", body.getInteger("seq")));
    }).await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  private void enqueue(int aggregates, int perAggregate) {
    List<OutboxMessage> messages = new ArrayList<>();
    for (int seq = 0; seq < perAggregate; seq++) {
      for (int a = 0; a < aggregates; a++) {
        messages.add(OutboxMessage.of(ADDRESS, "agg:" + a, body(seq, "agg:" + a)));
      }
    }
    OutboxTestSupport.enqueue(pool, messages);
  }

  /** One relay pass, run on a Vert.x context as the relay verticle runs it. */
  private int onePass(RelayOptions options) {
    RelayBatch batch = new RelayBatch(vertx, pool, ReplyHandlers.none(), options, null, null);
    Promise<Integer> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> batch.run().onComplete(done));
    return done.future().await();
  }

  private Map<String, List<Integer>> appliedInOrder() {
    Map<String, List<Integer>> seqs = new HashMap<>();
    for (Row r : rows(pool, "SELECT aggregate, seq FROM applied ORDER BY n")) {
      seqs.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getInteger(1));
    }
    return seqs;
  }

  @Test
  void onePassDeliversEachAggregatesRowsInOrderOneEnvelopeAfterTheOther() {
    enqueue(4, 6);

    assertThat(onePass(fastRelay().withFollowers(3))).as("rows sent by the pass").isEqualTo(16);

    // heads plus 3 followers each, one envelope per step of the chains
    assertThat(envelopes.get()).isEqualTo(4);
    assertThat(appliedInOrder()).hasSize(4).allSatisfy((agg, seqs) -> assertThat(seqs).containsExactly(0, 1, 2, 3));
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'")).isEqualTo(16);
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts = 0")).isEqualTo(8);
  }

  @Test
  void aFailedRowStopsItsAggregateForThePassAndTheRestFollowAfterItsRetry() {
    enqueue(3, 5);
    failures.put("agg:1/2", 2); // fails in this pass's envelope, then applies when retried

    assertThat(onePass(fastRelay().withFollowers(9))).as("rows sent by the pass").isEqualTo(13);

    Map<String, List<Integer>> seqs = appliedInOrder();
    assertThat(seqs.get("agg:0")).containsExactly(0, 1, 2, 3, 4);
    assertThat(seqs.get("agg:1")).as("nothing after the failed row").containsExactly(0, 1);
    assertThat(seqs.get("agg:2")).containsExactly(0, 1, 2, 3, 4);
    assertThat(rows(pool, "SELECT failures, attempts FROM outbox WHERE payload->>'aggregate' = 'agg:1'"
        + " AND (payload->>'seq')::int = 2").get(0).getInteger(0)).as("failed once").isEqualTo(1);
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE payload->>'aggregate' = 'agg:1'"
        + " AND (payload->>'seq')::int > 2 AND attempts = 0 AND status = 'pending'")).as("never sent").isEqualTo(2);

    // the relay goes on: the failed row comes back after its backoff, then the rest of its aggregate
    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), ReplyHandlers.none(), fastRelay()))
        .await();
    until("all delivered", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == 15);
    assertThat(appliedInOrder()).hasSize(3)
        .allSatisfy((agg, applied) -> assertThat(applied).as(agg).containsExactly(0, 1, 2, 3, 4));
  }

  @Test
  void aChainEndsBeforeARowThatMustNotGoNow() {
    enqueue(2, 5);
    // agg:0's third row is backing off (as after a replay of an earlier one): it and everything after it wait
    pool.query("UPDATE outbox SET next_attempt_at = now() + interval '1 hour'"
        + " WHERE payload->>'aggregate' = 'agg:0' AND (payload->>'seq')::int = 2").execute().await();
    // agg:1's third row holds its aggregate dead: nothing after it goes
    pool.query("UPDATE outbox SET status = 'dead', holds_aggregate = true"
        + " WHERE payload->>'aggregate' = 'agg:1' AND (payload->>'seq')::int = 2").execute().await();

    assertThat(onePass(fastRelay())).isEqualTo(4);

    Map<String, List<Integer>> seqs = appliedInOrder();
    assertThat(seqs.get("agg:0")).containsExactly(0, 1);
    assertThat(seqs.get("agg:1")).containsExactly(0, 1);
  }

  @Test
  void aHeadWithAReplyHandlerGoesAloneAndItsAggregateWaitsForItsReply() {
    AtomicInteger applied = new AtomicInteger();
    ReplyRoute<JsonObject> route = ReplyRoute.json("count");
    ReplyHandlers handlers = ReplyHandlers.none().register(route, (tx, request, reply) -> {
      applied.incrementAndGet();
      return Future.succeededFuture();
    });
    OutboxTestSupport.enqueue(pool, List.of(
        route.message(ADDRESS, "agg:r", body(0, "agg:r")),
        OutboxMessage.of(ADDRESS, "agg:r", body(1, "agg:r")),
        route.message(ADDRESS, "agg:r", body(2, "agg:r"))));

    RelayBatch batch = new RelayBatch(vertx, pool, handlers, fastRelay(), null, null);
    Promise<Integer> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> batch.run().onComplete(done));
    assertThat(done.future().await()).as("the head alone").isEqualTo(1);
    assertThat(appliedInOrder().get("agg:r")).containsExactly(0);
    until("its reply applied", () -> applied.get() == 1);
  }
}
