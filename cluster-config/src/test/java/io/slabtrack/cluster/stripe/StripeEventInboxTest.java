package io.slabtrack.cluster.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Migrations;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The webhook dedupe against real PostgreSQL, with the shared migration that creates its table. */
class StripeEventInboxTest {
  private static PgSettings db;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    db = TestDatabases.create("stripe_inbox");
    Migrations.migrate(db, "classpath:db/none");
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, db, 6);
  }

  @AfterAll
  static void stop() {
    pool.close().await();
    vertx.close().await();
    TestDatabases.drop(db);
  }

  private static JsonObject event(String type) {
    return new JsonObject().put("id", "evt_" + UUID.randomUUID().toString().replace("-", "")).put("type", type)
        .put("data", new JsonObject().put("object", new JsonObject().put("id", "pi_1")));
  }

  private static long rows(String eventId) {
    return pool.preparedQuery("SELECT count(*) FROM stripe_events WHERE event_id = $1").execute(Tuple.of(eventId))
        .await().iterator().next().getLong(0);
  }

  @Test
  void theFirstDeliveryCountsAndReplaysDoNot() {
    JsonObject e = event("payment_intent.amount_capturable_updated");
    assertThat(pool.withTransaction(tx -> StripeEventInbox.firstTime(tx, e)).await()).isTrue();
    assertThat(pool.withTransaction(tx -> StripeEventInbox.firstTime(tx, e)).await()).isFalse();
    assertThat(rows(e.getString("id"))).isEqualTo(1);
    JsonObject stored = pool.preparedQuery("SELECT type, payload FROM stripe_events WHERE event_id = $1")
        .execute(Tuple.of(e.getString("id"))).await().iterator().next().toJson();
    assertThat(stored.getString("type")).isEqualTo("payment_intent.amount_capturable_updated");
    assertThat(stored.getJsonObject("payload")).isEqualTo(e);
  }

  @Test
  void concurrentDuplicatesApplyOnce() {
    JsonObject e = event("charge.refunded");
    List<Future<Boolean>> attempts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      attempts.add(pool.withTransaction(tx -> StripeEventInbox.firstTime(tx, e)));
    }
    Future.all(attempts).await();
    assertThat(attempts.stream().filter(Future::result).count()).isEqualTo(1);
  }

  @Test
  void aRolledBackFirstTimeLeavesTheEventForTheRetry() {
    JsonObject e = event("checkout.session.completed");
    Future<Boolean> failed = pool.withTransaction(tx -> StripeEventInbox.firstTime(tx, e)
        .compose(first -> Future.<Boolean>failedFuture(new IllegalStateException("handler failed after recording"))));
    assertThat(failed.otherwiseEmpty().await()).isNull();
    assertThat(rows(e.getString("id"))).isZero();
    assertThat(pool.withTransaction(tx -> StripeEventInbox.firstTime(tx, e)).await()).isTrue();
  }
}
