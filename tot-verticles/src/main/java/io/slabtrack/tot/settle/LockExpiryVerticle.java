package io.slabtrack.tot.settle;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.outbox.Inbox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

/** {@code tot.salelock.expired}: once per notice (inbox), an unpaid play's PaymentIntent is cancelled. */
public final class LockExpiryVerticle extends VerticleBase {
  private final Pool pool;
  private final Settlement settlement;

  public LockExpiryVerticle(Pool pool, Settlement settlement) {
    this.pool = pool;
    this.settlement = settlement;
  }

  @Override
  public Future<?> start() {
    return Inbox.consume(vertx, pool, Addresses.saleLockExpired(AppName.TOT), settlement::lockExpired);
  }
}
