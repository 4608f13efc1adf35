package io.slabtrack.cluster.limits;

import io.slabtrack.cluster.singleton.HourlyChore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the limit tables small: rate windows older than two days (the longest window is one) and buyer holds a day
 * past their expiry are deleted hourly by one node of the app. Only size depends on it, never a decision: expired
 * windows and holds no longer count anyway.
 */
public final class LimitsRetention extends HourlyChore {
  static final String PURGE_WINDOWS = "DELETE FROM rate_windows WHERE window_start < now() - interval '2 days'";
  static final String PURGE_HOLDS = "DELETE FROM buyer_holds WHERE expires_at < now() - interval '1 day'";
  private static final Logger LOG = LoggerFactory.getLogger(LimitsRetention.class);

  public LimitsRetention(Pool pool) {
    super(pool, "limits-retention");
  }

  /** One purge; returns how many rows went. */
  @Override
  public Future<Integer> purgeNow() {
    return pool.query(PURGE_WINDOWS).execute()
        .compose(windows -> pool.query(PURGE_HOLDS).execute().map(holds -> {
          int total = windows.rowCount() + holds.rowCount();
          if (total > 0) {
            LOG.debug("limits retention: {} rate windows, {} buyer holds removed", windows.rowCount(), holds.rowCount());
          }
          return total;
        }));
  }
}
