package io.slabtrack.tot.settle;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.cluster.settlement.StrandedSaleSweeper;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

/**
 * {@code tot.salelock.expired}: an unpaid play's PaymentIntent is cancelled, or its Checkout Session expired, before
 * the inbox's transaction (no connection is held over the Stripe call); the inbox then records the notice and its
 * answer (voiding a play whose session it expired), given again to repeats.
 */
public final class LockExpiryVerticle extends VerticleBase {
  private final Pool pool;
  private final Settlement settlement;

  public LockExpiryVerticle(Pool pool, Settlement settlement) {
    this.pool = pool;
    this.settlement = settlement;
  }

  /** The backstop for plays whose lock vanished from the cluster before the sweeper could announce its expiry. */
  public static StrandedSaleSweeper strandedPlays(Pool pool, SaleLocks locks) {
    return new StrandedSaleSweeper(pool, locks, AppName.TOT, "thisorthat", SettleSql.WAITING_FOR_PAYMENT);
  }

  @Override
  public Future<?> start() {
    return Inbox.consume(vertx, pool, Addresses.saleLockExpired(AppName.TOT),
        notice -> settlement.lockExpired(pool, notice), settlement::lockExpiryRecorded);
  }
}
