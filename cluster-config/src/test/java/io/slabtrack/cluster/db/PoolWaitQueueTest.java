package io.slabtrack.cluster.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pool's wait queue is bounded: with its one connection busy and one statement already waiting, the next fails
 * at once as "try later" (the apps' 503 with Retry-After) instead of queueing behind them; the two admitted ones
 * still run.
 */
class PoolWaitQueueTest {
  private PgSettings db;
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    db = TestDatabases.create("poolqueue");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void beyondTheWaitQueueAStatementFailsAtOnceAsTryLater() {
    Pool pool = PgPools.create(vertx, db, 1, 1);
    pool.query("SELECT 1").execute().await(); // the connection open, so the first statement takes it at once
    Future<?> running = pool.query("SELECT pg_sleep(0.5)").execute();
    Future<?> waiting = pool.query("SELECT pg_sleep(0.1)").execute();
    Future<?> refused = pool.query("SELECT 1").execute();

    Throwable failure = refused.transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(failure).isNotNull();
    assertThat(DatabaseTrouble.unavailable(failure)).isTrue();
    assertThat(running.isComplete()).isFalse(); // refused at once, not after waiting its turn

    Future.all(List.of(running, waiting)).await();
    assertThat(pool.query("SELECT 1").execute().await().size()).isEqualTo(1);
  }
}
