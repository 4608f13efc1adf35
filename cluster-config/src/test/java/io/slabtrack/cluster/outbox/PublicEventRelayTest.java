package io.slabtrack.cluster.outbox;

import static io.slabtrack.cluster.outbox.OutboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A public event is published to every listener, needs no reply, and is marked delivered even with no listener. */
class PublicEventRelayTest {
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    db = migratedDatabase("publicevents");
    vertx = Vertx.vertx();
    pool = pool(vertx, db);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void publicEventsReachEveryListenerOnceInOrderAndNeedNoReply() {
    List<JsonObject> first = new CopyOnWriteArrayList<>();
    List<JsonObject> second = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("public.test", m -> first.add(m.body()));
    vertx.eventBus().<JsonObject>consumer("public.test", m -> second.add(m.body()));
    enqueue(pool, List.of(
        OutboxMessage.of("public.test", "card:1", new JsonObject().put("type", "card.listed").put("seq", 0)),
        OutboxMessage.of("public.test", "card:1", new JsonObject().put("type", "card.sold").put("seq", 1)),
        OutboxMessage.of("public.nobody", "card:2", new JsonObject().put("type", "card.listed"))));
    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), ReplyHandlers.none(),
        fastRelay())).await();

    until("all three delivered", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == 3);
    until("both listeners got both", () -> first.size() == 2 && second.size() == 2);
    assertThat(first).extracting(b -> b.getInteger("seq")).containsExactly(0, 1);
    assertThat(second).extracting(b -> b.getString("eventId")).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE attempts <> 1")).isZero();
  }
}
