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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes of one app relay the same outbox: every row goes out exactly once, in order per aggregate. */
class TwoRelaysTest {
  private static final String OUTER = "test.tworelays";
  private static final String INNER = "test.tworelays.inbox";
  private PgSettings db;
  private final List<Vertx> nodes = new ArrayList<>();
  private final List<Pool> pools = new ArrayList<>();

  @BeforeEach
  void setUp() {
    db = migratedDatabase("tworelays");
    for (int i = 0; i < 2; i++) {
      Vertx node = Vertx.vertx();
      nodes.add(node);
      pools.add(pool(node, db));
    }
  }

  @AfterEach
  void tearDown() {
    nodes.forEach(n -> n.close().await());
    TestDatabases.drop(db);
  }

  @Test
  void twoRelaysOnOneDatabaseNeverDeliverARowTwice() {
    Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    Map<String, List<Integer>> order = new ConcurrentHashMap<>();
    AtomicInteger[] perNode = {new AtomicInteger(), new AtomicInteger()};
    // separate buses (plain Vert.x): each relay reaches the receiver registered on its own node
    for (int i = 0; i < 2; i++) {
      Vertx node = nodes.get(i);
      AtomicInteger mine = perNode[i];
      Inbox.consume(node, pools.get(i), INNER, (tx, body) -> Future.succeededFuture(new JsonObject()))
          .await();
      forwarder(node, OUTER, INNER, body -> {
        mine.incrementAndGet();
        deliveries.computeIfAbsent(body.getString("eventId"), k -> new AtomicInteger()).incrementAndGet();
        List<Integer> seqs = order.computeIfAbsent(body.getString("aggregate"), k -> new ArrayList<>());
        synchronized (seqs) {
          seqs.add(body.getInteger("seq"));
        }
      }, body -> false);
      RelayOptions small = fastRelay().withBatchSize(20);
      node.deployVerticle(new OutboxRelayVerticle(pools.get(i), PgPools.connectOptions(db), ReplyHandlers.none(),
          small)).await();
    }

    // written while both relays run, in ten commits, so they race for every batch
    for (int seq = 0; seq < 10; seq++) {
      List<OutboxMessage> wave = new ArrayList<>();
      for (int a = 0; a < 100; a++) {
        wave.add(OutboxMessage.of(OUTER, "card:" + a, body(seq, "card:" + a)));
      }
      enqueue(pools.get(seq % 2), wave);
    }

    Pool pool = pools.get(0);
    until("1000 delivered", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == 1000);
    assertThat(deliveries).hasSize(1000);
    assertThat(deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(count(pool, "SELECT count(*) FROM inbox")).isEqualTo(1000);
    // both relays took part, or the test proved nothing about contention
    assertThat(perNode[0].get()).isPositive();
    assertThat(perNode[1].get()).isPositive();
    assertThat(order).hasSize(100);
    order.values().forEach(seqs -> assertThat(seqs).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
  }
}
