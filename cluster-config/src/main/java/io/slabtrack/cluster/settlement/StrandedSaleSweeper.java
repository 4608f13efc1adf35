package io.slabtrack.cluster.settlement;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.SaleLockSettings;
import io.slabtrack.cluster.periodic.PeriodicPass;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The satellite's own backstop for the sale-lock sweeper. The sweeper tells an app that a lock expired only while
 * the lock is in the Hazelcast map; when the entry itself is lost (two members killed within one failure-detection
 * window took a partition's primary and backup with them; a paused member's partitions came back without it), the
 * sale that held it would wait for payment forever, its cards free for others. So every node of a satellite looks
 * at its own sales still waiting for payment well past the lock TTL and grace; each one whose lockRef holds no lock
 * in the map is expired through the same inbox handler as the sweeper's notice ({@code <app>.salelock.expired}),
 * whose checks (still waiting? Stripe's expire or cancel says whether the buyer paid meanwhile) stay the arbiter.
 *
 * <p>A member that can't read the map (below the split-brain minimum, cluster call deadline) skips the round: only
 * an answer that the lock is absent expires a sale, never a failure to ask.
 */
public final class StrandedSaleSweeper extends PeriodicPass {
  private static final Logger LOG = LoggerFactory.getLogger(StrandedSaleSweeper.class);
  private static final int BATCH = 100;
  private static final long NOTIFY_TIMEOUT_MS = 30_000;

  private final Pool pool;
  private final SaleLocks locks;
  private final AppName app;
  private final String channel;
  private final String waitingSql;

  /**
   * @param waitingSql the app's sales still waiting for payment: {@code $1} a timestamptz (created before it),
   *                   {@code $2} a row limit; columns {@code id} and {@code lock_ref}
   */
  public StrandedSaleSweeper(Pool pool, SaleLocks locks, AppName app, String channel, String waitingSql) {
    this.pool = pool;
    this.locks = locks;
    this.app = app;
    this.channel = channel;
    this.waitingSql = waitingSql;
  }

  /** Past this age a waiting sale's lock would have expired and been announced by the sweeper, were it there. */
  public static Duration strandedAfter(SaleLockSettings s) {
    return s.defaultTtl().plus(s.grace()).plus(s.sweepInterval().multipliedBy(2));
  }

  /** How often each node looks: half a grace period (60 s by default), at least one sweep interval. */
  static Duration period(SaleLockSettings s) {
    Duration half = s.grace().dividedBy(2);
    return half.compareTo(s.sweepInterval()) < 0 ? s.sweepInterval() : half;
  }

  @Override
  protected long periodMillis() {
    return period(locks.settings()).toMillis();
  }

  @Override
  protected Future<?> pass() {
    return sweep();
  }

  @Override
  protected String passName() {
    return "stranded-sale sweep";
  }

  /** One pass; public so tests can run it without waiting for the timer. Answers how many sales it expired. */
  public Future<Integer> sweep() {
    Instant cutoff = locks.clock().instant().minus(strandedAfter(locks.settings()));
    return pool.preparedQuery(waitingSql).execute(Tuple.of(OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC), BATCH))
        .compose(rows -> {
          List<Future<Boolean>> each = new ArrayList<>();
          for (Row r : rows) {
            each.add(expireIfStranded(r.getString("id"), r.getString("lock_ref")));
          }
          return Future.all(each).map(all -> (int) each.stream().filter(Future::result).count());
        });
  }

  private Future<Boolean> expireIfStranded(String saleId, String lockRef) {
    return locks.locksOf(lockRef).compose(held -> {
      if (!held.isEmpty()) {
        return Future.succeededFuture(false); // the sweeper sees this lock and will tell us itself
      }
      LOG.warn("{} {}: still waiting for payment long past its lock's expiry and its lock {} is gone from the "
          + "cluster; expiring it as the sweeper would have", app.id(), saleId, lockRef);
      JsonObject notice = new JsonObject()
          .put("eventId", UUID.nameUUIDFromBytes(("salelock-stranded:" + lockRef).getBytes(StandardCharsets.UTF_8))
              .toString())
          .put("occurredAt", locks.clock().instant().toString())
          .put("lockRef", lockRef)
          .put("channel", channel)
          .put("orderRef", saleId)
          .put("cardIds", new JsonArray())
          .put("expiredAt", locks.clock().instant().toString())
          .put("source", "stranded-sale-sweeper");
      return vertx.eventBus().request(Addresses.saleLockExpired(app), notice,
          new DeliveryOptions().setSendTimeout(NOTIFY_TIMEOUT_MS)).map(true);
    });
  }
}
