package io.slabtrack.cluster.singleton;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

/**
 * A housekeeping job one node of an app runs every hour ({@link SingletonRunner}): retention sweeps and the like,
 * whose subclass says only what one run does.
 */
public abstract class HourlyChore extends VerticleBase {
  private static final long HOURLY = 3_600_000L;

  protected final Pool pool;
  private final String name;
  private long timer = -1;

  /** @param name the job's name among the app's singleton jobs (one node runs it at a time) */
  protected HourlyChore(Pool pool, String name) {
    this.pool = pool;
    this.name = name;
  }

  /** One run; returns how many rows it changed. */
  public abstract Future<Integer> purgeNow();

  @Override
  public Future<?> start() {
    timer = new SingletonRunner(vertx, pool).every(name, HOURLY, this::purgeNow);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
