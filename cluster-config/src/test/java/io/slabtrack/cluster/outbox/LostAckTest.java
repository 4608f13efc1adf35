package io.slabtrack.cluster.outbox;

import static io.slabtrack.cluster.outbox.OutboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receiver commits but its reply is lost: the retry is acknowledged with the first answer, not re-applied. */
class LostAckTest {
  private static final String OUTER = "test.lostack";
  private static final String INNER = "test.lostack.inbox";
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    db = migratedDatabase("lostack");
    vertx = Vertx.vertx();
    pool = pool(vertx, db);
    pool.query("CREATE TABLE applied (event_id uuid, nonce text)").execute().await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void aRedeliveryAfterALostAckIsNotAppliedTwiceAndTheSenderKeepsTheFirstReply() {
    Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    // each apply answers with a fresh nonce, so a second apply would show as a different reply
    Inbox.consume(vertx, pool, INNER, (tx, body) -> {
      String nonce = UUID.randomUUID().toString();
      return tx.preparedQuery("INSERT INTO applied VALUES ($1, $2)")
          .execute(Tuple.of(UUID.fromString(body.getString("eventId")), nonce))
          .map(new JsonObject().put("nonce", nonce));
    }).await();
    // the first delivery of each event is applied and committed, but its reply never reaches the relay
    forwarder(vertx, OUTER, INNER,
        body -> deliveries.computeIfAbsent(body.getString("eventId"), k -> new AtomicInteger()).incrementAndGet(),
        body -> deliveries.get(body.getString("eventId")).get() == 1);

    List<OutboxMessage> messages = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      messages.add(OutboxMessage.of(OUTER, "order:" + i, body(0, "order:" + i)));
    }
    enqueue(pool, messages);
    RelayOptions options = fastRelay().withRequestTimeoutMillis(300);
    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), ReplyHandlers.none(), options))
        .await();

    until("all delivered", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == 5);
    assertThat(deliveries).hasSize(5);
    assertThat(deliveries.values()).allSatisfy(n -> assertThat(n.get()).isGreaterThanOrEqualTo(2));
    assertThat(count(pool, "SELECT count(*) FROM applied")).isEqualTo(5);
    assertThat(count(pool, "SELECT count(DISTINCT event_id) FROM applied")).isEqualTo(5);
    List<Row> joined = rows(pool, "SELECT o.reply->>'nonce', a.nonce, o.attempts, o.last_error FROM outbox o"
        + " JOIN applied a ON a.event_id = o.event_id");
    assertThat(joined).hasSize(5).allSatisfy(r -> {
      assertThat(r.getString(0)).isEqualTo(r.getString(1));
      assertThat(r.getInteger(2)).isGreaterThanOrEqualTo(2);
    });
    assertThat(count(pool, "SELECT count(*) FROM inbox WHERE reply ? 'nonce'")).isEqualTo(5);
  }
}
