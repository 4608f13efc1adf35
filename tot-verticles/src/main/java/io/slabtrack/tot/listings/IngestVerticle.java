package io.slabtrack.tot.listings;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.outbox.Inbox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

/** Consumes {@code tot.cards.publish} through the inbox (ready once the consumer is registered cluster-wide). */
public final class IngestVerticle extends VerticleBase {
  private final Pool pool;
  private final Ingest ingest;

  public IngestVerticle(Pool pool, Ingest ingest) {
    this.pool = pool;
    this.ingest = ingest;
  }

  @Override
  public Future<?> start() {
    // each event touches only its own listing: a batch is applied in a few multi-row statements
    return Inbox.consumeBatched(vertx, pool, Addresses.TOT_CARDS_PUBLISH, ingest);
  }
}
