package io.slabtrack.cluster.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Migrations;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Retention removes only old delivered outbox rows and old inbox records. */
class OutboxRetentionTest {

  @Test
  void oldDeliveredRowsAndOldInboxRecordsGoEverythingElseStays() throws Exception {
    PgSettings db = TestDatabases.create("retention");
    Vertx vertx = Vertx.vertx();
    try {
      Migrations.migrate(db, "classpath:db/none");
      Pool pool = PgPools.create(vertx, db, 2);
      String insert = "INSERT INTO outbox (event_id, aggregate, address, payload, status, delivered_at) VALUES"
          + " (gen_random_uuid(), 'a', 'x', '{}', 'delivered', now() - interval '8 days'),"
          + " (gen_random_uuid(), 'a', 'x', '{}', 'delivered', now() - interval '6 days'),"
          + " (gen_random_uuid(), 'b', 'x', '{}', 'pending', null),"
          + " (gen_random_uuid(), 'c', 'x', '{}', 'dead', null)";
      pool.query(insert).execute().await(10, TimeUnit.SECONDS);
      pool.query("UPDATE outbox SET created_at = now() - interval '40 days'").execute().await(10, TimeUnit.SECONDS);
      pool.query("INSERT INTO inbox (event_id, address, processed_at) VALUES"
          + " (gen_random_uuid(), 'x', now() - interval '31 days'), (gen_random_uuid(), 'x', now() - interval '29 days')")
          .execute().await(10, TimeUnit.SECONDS);

      int removed = new OutboxRetention(pool, 7, 30).purgeNow().await(10, TimeUnit.SECONDS);

      assertThat(removed).isEqualTo(2);
      assertThat(pool.query("SELECT status FROM outbox ORDER BY id").execute().await(10, TimeUnit.SECONDS)
          .value().stream().map(r -> r.getString(0)).toList()).containsExactly("delivered", "pending", "dead");
      assertThat(pool.query("SELECT count(*) FROM inbox").execute().await(10, TimeUnit.SECONDS)
          .iterator().next().getLong(0)).isEqualTo(1);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      TestDatabases.drop(db);
    }
  }
}
