package io.slabtrack.cluster.singleton;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SingletonRunnerTest {
  private static PgSettings db;
  private static Vertx vertxA;
  private static Vertx vertxB;
  private static Pool poolA;
  private static Pool poolB;

  @BeforeAll
  static void setUp() {
    db = TestDatabases.create("singleton");
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    poolA = PgPools.create(vertxA, db, 2);
    poolB = PgPools.create(vertxB, db, 2);
  }

  @AfterAll
  static void tearDown() throws Exception {
    vertxA.close().await(10, TimeUnit.SECONDS);
    vertxB.close().await(10, TimeUnit.SECONDS);
    TestDatabases.drop(db);
  }

  @Test
  void twoNodesNeverRunTheSameJobAtOnce() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    SingletonRunner a = new SingletonRunner(vertxA, poolA);
    SingletonRunner b = new SingletonRunner(vertxB, poolB);
    for (int round = 0; round < 5; round++) {
      List<Future<Boolean>> attempts = List.of(
          a.runOnce("sweeper", () -> slowJob(vertxA, running, maxConcurrent, runs)),
          b.runOnce("sweeper", () -> slowJob(vertxB, running, maxConcurrent, runs)));
      Future.all(attempts).await(10, TimeUnit.SECONDS);
      long ran = attempts.stream().filter(f -> f.result()).count();
      assertThat(ran).as("exactly one node runs each round").isEqualTo(1);
    }
    assertThat(maxConcurrent.get()).isEqualTo(1);
    assertThat(runs.get()).isEqualTo(5);
  }

  @Test
  void differentJobsDoNotBlockEachOther() throws Exception {
    SingletonRunner a = new SingletonRunner(vertxA, poolA);
    SingletonRunner b = new SingletonRunner(vertxB, poolB);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    var first = a.runOnce("job-one", () -> slowJob(vertxA, running, max, runs));
    var second = b.runOnce("job-two", () -> slowJob(vertxB, running, max, runs));
    Future.all(first, second).await(10, TimeUnit.SECONDS);
    assertThat(first.result()).isTrue();
    assertThat(second.result()).isTrue();
  }

  private static Future<Void> slowJob(Vertx vertx, AtomicInteger running, AtomicInteger max, AtomicInteger runs) {
    max.accumulateAndGet(running.incrementAndGet(), Math::max);
    runs.incrementAndGet();
    Promise<Void> done = Promise.promise();
    vertx.setTimer(300, id -> {
      running.decrementAndGet();
      done.complete();
    });
    return done.future();
  }
}
