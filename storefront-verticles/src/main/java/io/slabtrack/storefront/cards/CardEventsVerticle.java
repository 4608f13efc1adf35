package io.slabtrack.storefront.cards;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.outbox.InboxBatchHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/** Consumes core's {@code storefront.cards.publish} through the inbox; ready once the consumer is registered. */
public final class CardEventsVerticle extends VerticleBase {
  private final Pool pool;

  public CardEventsVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    // each event touches only its own card: a batch is applied in a few multi-row statements
    return Inbox.consumeBatched(vertx, pool, Addresses.STOREFRONT_CARDS_PUBLISH, new InboxBatchHandler() {
      @Override
      public Future<JsonObject> apply(SqlConnection tx, JsonObject body) {
        return CardEvents.apply(tx, body, null);
      }

      @Override
      public Future<List<JsonObject>> applyAll(SqlConnection tx, List<JsonObject> bodies) {
        return CardEvents.applyAll(tx, bodies);
      }
    });
  }
}
