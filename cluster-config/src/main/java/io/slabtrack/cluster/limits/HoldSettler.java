package io.slabtrack.cluster.limits;

import io.slabtrack.cluster.periodic.PeriodicPass;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * Ends the holds of checkouts/plays that are no longer pending (paid, cancelled, expired), by moving their expiry to
 * now. A hold counts only while its sale is pending, but it stayed live until its expiry (the lock TTL), and every
 * pending-limit count walked it: buyers sharing one address (a carrier's NAT, a proxy without a trusted
 * X-Forwarded-For, the soak benchmark) made each checkout walk thousands of settled holds — 1.4 s per count at
 * 1,000 checkouts a minute, and checkouts stopped. Settled holds keep their row (an Idempotency-Key retry still finds
 * it); only their expiry moves. Every node runs it (a row another node is settling is skipped).
 */
public final class HoldSettler extends PeriodicPass {
  static final long PERIOD_MS = 5_000;
  private static final int BATCH = 5_000;

  private final Pool pool;
  private final String settle;

  /** @param stillHolding the same condition on hold {@code h} that {@link BuyerLimits} counts with */
  public HoldSettler(Pool pool, String stillHolding) {
    this.pool = pool;
    this.settle = ("UPDATE buyer_holds SET expires_at = now() WHERE ref IN (SELECT h.ref FROM buyer_holds h "
        + "WHERE h.expires_at > now() AND NOT (%s) LIMIT %d FOR UPDATE SKIP LOCKED)").formatted(stillHolding, BATCH);
  }

  @Override
  protected long periodMillis() {
    return PERIOD_MS;
  }

  @Override
  protected Future<?> pass() {
    return settleNow();
  }

  @Override
  protected String passName() {
    return "hold settling";
  }

  /** One pass; answers how many holds it ended. Public for tests. */
  public Future<Integer> settleNow() {
    return pool.query(settle).execute().map(rows -> rows.rowCount());
  }
}
