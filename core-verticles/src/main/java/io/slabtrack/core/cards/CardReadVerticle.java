package io.slabtrack.core.cards;

import io.slabtrack.cluster.bus.Addresses;
import io.vertx.core.VerticleBase;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * {@code core.cards.read} (EVENT-BUS.md): one card as the channels see it (the publish snapshot: no owner,
 * consignor or keeper flag), for services outside the cluster with the bridge's {@code cards:read} scope. Only a
 * card that is or was for sale answers; a personal card is as unknown as a missing one (404).
 */
public final class CardReadVerticle extends VerticleBase {
  private final Pool pool;

  public CardReadVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<Object>consumer(Addresses.CORE_CARDS_READ, this::read).completion();
  }

  private void read(Message<Object> msg) {
    Long id = msg.body() instanceof JsonObject body && body.getValue("cardId") instanceof Number n ? n.longValue()
        : null;
    if (id == null) {
      msg.fail(400, error("invalid_field", "cardId (a number) is required"));
      return;
    }
    pool.preparedQuery(CardSql.BY_IDS).execute(Tuple.of((Object) new Long[] {id})).onComplete(ar -> {
      if (ar.failed()) {
        msg.fail(503, error("unavailable", "could not read the card now; retry"));
        return;
      }
      JsonObject card = null;
      for (Row r : ar.result()) {
        card = CardJson.of(r);
      }
      if (card == null || "personal".equals(card.getString("listingStatus"))) {
        msg.fail(404, error("not_found", "Card not found"));
        return;
      }
      msg.reply(new JsonObject().put("cardId", id).put("version", card.getLong("version"))
          .put("listingStatus", card.getString("listingStatus")).put("card", CardJson.snapshot(card)));
    });
  }

  private static String error(String code, String message) {
    return new JsonObject().put("error", code).put("message", message).encode();
  }
}
