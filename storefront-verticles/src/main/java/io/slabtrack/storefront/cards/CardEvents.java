package io.slabtrack.storefront.cards;

import io.slabtrack.cluster.outbox.InboxRejection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's publish / update / disengage of a storefront card (cluster-config/EVENT-BUS.md), one handler for the bus
 * ({@code storefront.cards.publish}) and {@code POST /api/storefronts/{slug}/cards}. Idempotent by {@code eventId}
 * (recorded in {@code storefront_card_events} in the same transaction); a message whose {@code version} is not
 * newer than the stored one is dropped. Reply: {@code {eventId, cardId, outcome: applied|stale|duplicate}}.
 */
public final class CardEvents {
  private static final Logger LOG = LoggerFactory.getLogger(CardEvents.class);
  private static final Set<String> TYPES = Set.of("publish", "update", "disengage");

  private CardEvents() {
  }

  /** @param pathShop the slug of the HTTP route, or null on the bus (then the body's {@code shop} names it) */
  public static Future<JsonObject> apply(SqlConnection tx, JsonObject body, String pathShop) {
    Event e = Event.parse(body, pathShop);
    return tx.preparedQuery(CardSql.CLAIM_EVENT).execute(Tuple.of(e.eventId, e.cardId)).compose(claimed -> {
      if (claimed.rowCount() == 0) {
        LOG.debug("card event duplicate eventId={} cardId={}", e.eventId, e.cardId);
        return Future.succeededFuture(e.reply("duplicate"));
      }
      return tx.preparedQuery(CardSql.SHOP_EXISTS).execute(Tuple.of(e.shop))
          .compose(shop -> {
            if (shop.rowCount() == 0) {
              throw new InboxRejection(404, "unknown_shop", "no shop with slug " + e.shop);
            }
            return tx.preparedQuery(CardSql.VERSION_FOR_UPDATE).execute(Tuple.of(e.cardId));
          })
          .compose(current -> {
            Long stored = current.iterator().hasNext() ? current.iterator().next().getLong("version") : null;
            if (stored != null && e.version <= stored) {
              LOG.info("card event stale eventId={} cardId={} version={} stored={}", e.eventId, e.cardId, e.version,
                  stored);
              return Future.succeededFuture("stale");
            }
            JsonObject snapshot = e.card == null ? new JsonObject().put("id", e.cardId) : e.card;
            Tuple args = "disengage".equals(e.type)
                ? Tuple.of(e.cardId, e.shop, snapshot, e.price, e.version, e.reason)
                : Tuple.of(e.cardId, e.shop, snapshot, e.price, e.version, "publish".equals(e.type));
            String sql = "disengage".equals(e.type) ? CardSql.UPSERT_DISENGAGED : CardSql.UPSERT_LISTED;
            // the version condition in the upsert is the final arbiter (two first publishes racing over HTTP)
            return tx.preparedQuery(sql).execute(args).map(r -> r.rowCount() == 1 ? "applied" : "stale");
          })
          .compose(outcome -> tx.preparedQuery(CardSql.EVENT_OUTCOME).execute(Tuple.of(e.eventId, outcome))
              .map(x -> {
                LOG.info("card event {} eventId={} type={} cardId={} shop={} version={}", outcome, e.eventId, e.type,
                    e.cardId, e.shop, e.version);
                return e.reply(outcome);
              }));
    });
  }

  private record Event(UUID eventId, String type, long cardId, long version, String shop, Long price,
                       JsonObject card, String reason) {

    static Event parse(JsonObject b, String pathShop) {
      UUID eventId;
      try {
        eventId = UUID.fromString(b.getString("eventId"));
      } catch (RuntimeException x) {
        throw invalid("eventId", "eventId must be a UUID");
      }
      String type = b.getValue("type") instanceof String t && TYPES.contains(t) ? t : null;
      if (type == null) {
        throw invalid("type", "type must be one of " + TYPES);
      }
      long cardId = positiveLong(b, "cardId");
      long version = positiveLong(b, "version");
      Object shopValue = b.getValue("shop");
      if (shopValue != null && !(shopValue instanceof String)) {
        throw invalid("shop", "shop must be a slug");
      }
      String shop = (String) shopValue;
      if (pathShop != null && shop != null && !pathShop.equals(shop)) {
        throw invalid("shop", "the body's shop differs from the route's");
      }
      shop = shop != null ? shop : pathShop;
      if (shop == null) {
        throw invalid("shop", "shop is required");
      }
      Object priceValue = b.getValue("price");
      if (priceValue != null && !(priceValue instanceof Number n && n.longValue() >= 0
          && n.doubleValue() == n.longValue())) {
        throw invalid("price", "price must be whole cents >= 0");
      }
      Object card = b.getValue("card");
      if (card != null && !(card instanceof JsonObject)) {
        throw invalid("card", "card must be an object");
      }
      if (card == null && !"disengage".equals(type)) {
        throw invalid("card", "a " + type + " carries the card snapshot");
      }
      if (card != null && ((JsonObject) card).getValue("id") instanceof Number id && id.longValue() != cardId) {
        throw invalid("card.id", "card.id differs from cardId");
      }
      String reason = b.getValue("reason") instanceof String r ? r : null;
      return new Event(eventId, type, cardId, version, shop, priceValue == null ? null : ((Number) priceValue).longValue(),
          (JsonObject) card, reason);
    }

    JsonObject reply(String outcome) {
      return new JsonObject().put("eventId", eventId.toString()).put("cardId", cardId).put("outcome", outcome);
    }

    private static long positiveLong(JsonObject b, String field) {
      if (b.getValue(field) instanceof Number n && n.longValue() > 0 && n.doubleValue() == n.longValue()) {
        return n.longValue();
      }
      throw invalid(field, field + " must be a positive integer");
    }

    private static InboxRejection invalid(String field, String message) {
      return new InboxRejection(400, "invalid_field", field + ": " + message);
    }
  }
}
