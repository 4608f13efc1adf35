package io.slabtrack.cluster.outbox;

import static io.slabtrack.cluster.outbox.OutboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A relay that has polled an empty outbox for a while, then meets a burst (an operator commits 15,000 cards to two
 * channels: 30,000 messages in one transaction). Found by the reconciler benchmark: the claim, prepared while the
 * table was empty, kept a plan that scanned the table once per pending row, and delivery stalled for minutes. Every
 * message must go out; the bound is generous (delivery runs at over 1,000/s here), it only catches the stall.
 */
class BurstAfterQuietTest {
  private static final String ADDRESS = "test.burst";
  private static final int BURST = 30_000;
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    db = migratedDatabase("burst");
    vertx = Vertx.vertx();
    pool = pool(vertx, db);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void aBurstAfterAQuietSpellIsDeliveredWithoutStalling() throws Exception {
    vertx.eventBus().<JsonObject>consumer(ADDRESS, m -> m.reply(new JsonObject())).completion().await();
    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), ReplyHandlers.none(),
        RelayOptions.defaults().withPollMillis(50).withRequestTimeoutMillis(3_000).withBackoff(50, 400))).await();
    // a quiet spell: many claims on an empty table, long enough for PostgreSQL to settle on a cached plan
    Thread.sleep(1_500);
    pool.query("INSERT INTO outbox (event_id, aggregate, address, payload)"
        + " SELECT gen_random_uuid(), 'card:' || g, '" + ADDRESS + "', jsonb_build_object('seq', g)"
        + " FROM generate_series(1, " + BURST + ") g").execute().await();
    Poll.until("the burst delivered", Duration.ofSeconds(150),
        () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == BURST);
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE status <> 'delivered'")).isZero();
  }
}
