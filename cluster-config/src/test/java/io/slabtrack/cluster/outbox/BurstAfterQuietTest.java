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

  /**
   * Autovacuum analyzes the outbox in a quiet moment (everything delivered), then a 5,000-card publish enqueues
   * 20,000 rows: the claim must not be planned for "no row is pending" (it was: a nested loop over every pending row
   * per pending row, 4.7 s a claim, ~1.4 million buffers). Counted in buffers, not milliseconds: the same on any
   * machine. Bound: 100 a claimed row (the indexed plan reads ~30; the bad one ~2,900).
   */
  @Test
  void aBurstAfterTheOutboxWasAnalyzedAllDeliveredIsClaimedThroughItsIndexes() {
    pool.query("INSERT INTO outbox (event_id, aggregate, address, payload, status, delivered_at)"
        + " SELECT gen_random_uuid(), 'old:' || g, '" + ADDRESS + "', '{}'::jsonb, 'delivered', now()"
        + " FROM generate_series(1, 20000) g").execute().await();
    pool.query("VACUUM ANALYZE outbox").execute().await();
    pool.query("INSERT INTO outbox (event_id, aggregate, address, payload)"
        + " SELECT gen_random_uuid(), 'card:' || (g % 15000), '" + ADDRESS + "', '{}'::jsonb"
        + " FROM generate_series(1, 20000) g").execute().await();
    io.vertx.sqlclient.SqlConnection conn = pool.getConnection().await();
    try {
      conn.query("BEGIN").execute().await();
      conn.query("SET LOCAL enable_bitmapscan = off").execute().await(); // as the relay claims
      Object plan = conn.query("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + OutboxSql.claimChains(500, 25_000, 9))
          .execute().await().iterator().next().getValue(0);
      conn.query("ROLLBACK").execute().await();
      JsonObject top = new io.vertx.core.json.JsonArray(String.valueOf(plan)).getJsonObject(0).getJsonObject("Plan");
      long rows = top.getLong("Actual Rows");
      long buffers = top.getLong("Shared Hit Blocks") + top.getLong("Shared Read Blocks");
      assertThat(rows).as("a full claim: 500 heads and their followers").isGreaterThanOrEqualTo(500);
      assertThat(buffers).as("buffers for %d claimed rows", rows).isLessThan(100 * rows);
    } finally {
      conn.close().await();
    }
  }
}
