package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.singleton.HourlyChore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the outbox and inbox from growing forever: delivered outbox rows older than {@code OUTBOX_RETENTION_DAYS}
 * and inbox rows older than {@code INBOX_RETENTION_DAYS} are deleted, hourly, by one node of the app at a time.
 * Pending and dead rows are never touched. The inbox keeps its rows much longer than the outbox, because an inbox
 * row is what turns a late redelivery into a no-op.
 */
public final class OutboxRetention extends HourlyChore {
  static final String PURGE_OUTBOX = "DELETE FROM outbox WHERE status = 'delivered'"
      + " AND delivered_at < now() - $1::int * interval '1 day'";
  static final String PURGE_INBOX = "DELETE FROM inbox WHERE processed_at < now() - $1::int * interval '1 day'";
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRetention.class);

  private final int outboxDays;
  private final int inboxDays;

  public OutboxRetention(Pool pool, int outboxDays, int inboxDays) {
    super(pool, "outbox-retention");
    this.outboxDays = outboxDays;
    this.inboxDays = inboxDays;
  }

  /** From {@code OUTBOX_RETENTION_DAYS} (default 7) and {@code INBOX_RETENTION_DAYS} (default 30). */
  public static OutboxRetention fromSettings(Pool pool, Settings settings) {
    return new OutboxRetention(pool, settings.integer("OUTBOX_RETENTION_DAYS", 7, 1, 3650),
        settings.integer("INBOX_RETENTION_DAYS", 30, 1, 3650));
  }

  /** One purge; returns how many rows went (outbox + inbox). */
  @Override
  public Future<Integer> purgeNow() {
    return pool.preparedQuery(PURGE_OUTBOX).execute(Tuple.of(outboxDays))
        .compose(out -> pool.preparedQuery(PURGE_INBOX).execute(Tuple.of(inboxDays))
            .map(in -> {
              int total = out.rowCount() + in.rowCount();
              if (total > 0) {
                LOG.info("retention: {} delivered outbox rows older than {} d, {} inbox rows older than {} d removed",
                    out.rowCount(), outboxDays, in.rowCount(), inboxDays);
              }
              return total;
            }));
  }
}
