package io.slabtrack.core.imports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/**
 * Whether a job's node is still alive. The node running a job moves the job's {@code heartbeat_at} every
 * {@link #HEARTBEAT} (and with each committed chunk); a {@code running} job whose heartbeat is older than
 * {@link #STALE_AFTER} has lost its node and is marked failed when it is read, saying at which row it stopped.
 */
public final class JobLiveness {
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  /** Four missed heartbeats: long enough that a slow chunk or a GC pause doesn't fail a live import. */
  static final Duration STALE_AFTER = Duration.ofMinutes(2);

  private final Vertx vertx;
  private final Pool pool;

  public JobLiveness(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** Starts heartbeating the job; stop with {@link #stop}. */
  long keepAlive(UUID jobId) {
    return vertx.setPeriodic(HEARTBEAT.toMillis(), t -> pool.preparedQuery(ImportSql.HEARTBEAT).execute(Tuple.of(jobId)));
  }

  void stop(long timer) {
    vertx.cancelTimer(timer);
  }

  /** Fails the job if it is running with a stale heartbeat (its node stopped); otherwise leaves it alone. */
  Future<Void> failIfAbandoned(UUID jobId) {
    return pool.preparedQuery(ImportSql.FAIL_ABANDONED).execute(Tuple.of(jobId, (int) STALE_AFTER.toSeconds()))
        .mapEmpty();
  }
}
