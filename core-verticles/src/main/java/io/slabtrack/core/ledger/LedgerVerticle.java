package io.slabtrack.core.ledger;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Consumes {@code core.orders.event} for the order ledger (ready once the consumer is registered cluster-wide). */
public final class LedgerVerticle extends VerticleBase {
  private final OrderLedger ledger;

  public LedgerVerticle(OrderLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public Future<?> start() {
    return ledger.consume(vertx);
  }
}
