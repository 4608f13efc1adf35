package io.slabtrack.storefront.cards;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.outbox.Inbox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

/** Consumes core's {@code storefront.cards.publish} through the inbox; ready once the consumer is registered. */
public final class CardEventsVerticle extends VerticleBase {
  private final Pool pool;

  public CardEventsVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    // each event touches only its own card: a batch is applied pipelined
    return Inbox.consumePipelined(vertx, pool, Addresses.STOREFRONT_CARDS_PUBLISH,
        (tx, body) -> CardEvents.apply(tx, body, null));
  }
}
