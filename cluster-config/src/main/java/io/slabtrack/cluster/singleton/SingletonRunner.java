package io.slabtrack.cluster.singleton;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job on one node of an app at a time (sweepers, scheduled reconciler runs). Each run holds a PostgreSQL
 * transaction-scoped advisory lock on the app's own database for as long as the job's future is pending: nodes
 * that don't get the lock skip that tick. A node that dies mid-run drops its connection, and with it the lock.
 */
public final class SingletonRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SingletonRunner.class);
  /** Advisory-lock namespace ("ST"), so our keys never meet another tool's. */
  private static final int LOCK_NAMESPACE = 0x5354;
  private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked";

  private final Vertx vertx;
  private final Pool pool;

  public SingletonRunner(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** @return true when this node ran the job, false when another node held it */
  public Future<Boolean> runOnce(String jobName, Supplier<Future<?>> job) {
    return pool.withTransaction(conn -> conn.preparedQuery(TRY_LOCK)
        .execute(Tuple.of(LOCK_NAMESPACE, jobName))
        .compose(rows -> {
          if (!rows.iterator().next().getBoolean("locked")) {
            return Future.succeededFuture(false);
          }
          return job.get().map(x -> true);
        }));
  }

  /**
   * Runs the job every {@code periodMillis} on whichever node gets the lock; a tick is skipped on this node while
   * its previous run is still going. @return the timer id (cancel with {@code vertx.cancelTimer})
   */
  public long every(String jobName, long periodMillis, Supplier<Future<?>> job) {
    AtomicBoolean running = new AtomicBoolean();
    return vertx.setPeriodic(periodMillis, periodMillis, id -> {
      if (!running.compareAndSet(false, true)) {
        return;
      }
      runOnce(jobName, job)
          .onFailure(e -> LOG.warn("singleton job {} failed: {}", jobName, e.toString()))
          .onComplete(x -> running.set(false));
    });
  }
}
