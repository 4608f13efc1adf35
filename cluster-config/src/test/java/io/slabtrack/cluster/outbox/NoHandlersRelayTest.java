package io.slabtrack.cluster.outbox;

import static io.slabtrack.cluster.outbox.OutboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A receiver that is down when the messages are written gets all of them, once each, in order. */
class NoHandlersRelayTest {
  private static final String ADDRESS = "test.nohandlers";
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    db = migratedDatabase("nohandlers");
    vertx = Vertx.vertx();
    pool = pool(vertx, db);
    pool.query("CREATE TABLE applied (event_id uuid, aggregate text, seq int)").execute().await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void messagesWrittenWhileNobodyListensAreAppliedOnceInOrderAfterTheConsumerRegisters() {
    List<OutboxMessage> messages = new ArrayList<>();
    for (int seq = 0; seq < 10; seq++) {
      for (int a = 0; a < 20; a++) {
        messages.add(OutboxMessage.of(ADDRESS, "card:" + a, body(seq, "card:" + a)));
      }
    }
    enqueue(pool, messages);
    enqueue(pool, messages.subList(0, 5)); // a retried enqueue is a no-op
    assertThat(count(pool, "SELECT count(*) FROM outbox")).isEqualTo(200);

    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), ReplyHandlers.none(),
        fastRelay())).await();
    until("every aggregate's head retried twice with nobody listening",
        () -> count(pool, "SELECT count(*) FROM outbox WHERE attempts >= 2") >= 20);
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE attempts > 0")).isEqualTo(20);
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE status <> 'pending'")).isZero();
    assertThat(rows(pool, "SELECT last_error FROM outbox WHERE attempts > 0 LIMIT 1").get(0).getString(0))
        .contains("NO_HANDLERS");

    Map<String, List<Integer>> received = new ConcurrentHashMap<>();
    List<JsonObject> bodies = new ArrayList<>();
    Inbox.consume(vertx, pool, ADDRESS, (tx, body) -> {
      synchronized (bodies) {
        bodies.add(body);
        received.computeIfAbsent(body.getString("aggregate"), k -> new ArrayList<>()).add(body.getInteger("seq"));
      }
      return tx.preparedQuery("INSERT INTO applied VALUES ($1, $2, $3)")
          .execute(Tuple.of(UUID.fromString(body.getString("eventId")), body.getString("aggregate"),
              body.getInteger("seq")))
          .map(new JsonObject().put("ok", true));
    }).await();

    until("all 200 delivered", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == 200);
    assertThat(count(pool, "SELECT count(*) FROM applied")).isEqualTo(200);
    assertThat(count(pool, "SELECT count(DISTINCT event_id) FROM applied")).isEqualTo(200);
    assertThat(received).hasSize(20);
    received.values().forEach(seqs -> assertThat(seqs).containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList()));
    synchronized (bodies) {
      assertThat(bodies).allSatisfy(b -> assertThat(b.getString("occurredAt")).isNotBlank());
    }
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE reply->>'ok' = 'true'")).isEqualTo(200);
  }
}
