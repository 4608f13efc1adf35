package io.slabtrack.core.reconcile;

import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.singleton.SingletonRunner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled run: every {@code RECONCILE_INTERVAL_MINUTES} (default 15; 0 = off) on one core node at a time, in
 * {@code RECONCILE_SCHEDULED_MODE} (report by default; heal is the operator's opt-in). A tick that finds a run
 * already going (an operator's) skips. Each tick also forgets runs older than {@code RECONCILE_KEEP_DAYS} (30).
 */
public final class ReconcileSchedule extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileSchedule.class);

  private final Reconciler reconciler;
  private final Pool pool;
  private final int intervalMinutes;
  private final ReconcileOptions options;
  private final int keepDays;
  private long timer = -1;

  ReconcileSchedule(Reconciler reconciler, Pool pool, int intervalMinutes, ReconcileOptions options, int keepDays) {
    this.reconciler = reconciler;
    this.pool = pool;
    this.intervalMinutes = intervalMinutes;
    this.options = options;
    this.keepDays = keepDays;
  }

  static ReconcileSchedule fromSettings(Reconciler reconciler, Pool pool, Settings settings) {
    String mode = settings.string("RECONCILE_SCHEDULED_MODE", "report");
    ReconcileOptions options;
    try {
      options = ReconcileOptions.parse(new JsonObject().put("mode", mode));
    } catch (ApiException e) {
      throw new io.slabtrack.cluster.config.ConfigException("RECONCILE_SCHEDULED_MODE must be report or heal, got '"
          + mode + "'");
    }
    return new ReconcileSchedule(reconciler, pool, settings.integer("RECONCILE_INTERVAL_MINUTES", 15, 0, 10_080),
        options, settings.integer("RECONCILE_KEEP_DAYS", 30, 1, 3650));
  }

  @Override
  public Future<?> start() {
    if (intervalMinutes > 0) {
      timer = new SingletonRunner(vertx, pool).every("reconciler", intervalMinutes * 60_000L, this::runNow);
      LOG.info("reconciler scheduled every {} min in {} mode", intervalMinutes, options.mode());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  Future<JsonObject> runNow() {
    Promise<JsonObject> done = Promise.promise();
    return new RunStore(pool).purgeOlderThan(keepDays)
        .compose(purged -> reconciler.start(options, "schedule", null, done))
        .compose(started -> done.future())
        .recover(e -> {
          if (e instanceof ApiException api && api.status() == 409) {
            LOG.info("scheduled reconciler run skipped: {}", api.getMessage());
            return Future.succeededFuture(null);
          }
          return Future.failedFuture(e);
        });
  }
}
