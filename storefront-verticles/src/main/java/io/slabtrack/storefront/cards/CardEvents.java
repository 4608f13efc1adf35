package io.slabtrack.storefront.cards;

import io.slabtrack.cluster.outbox.InboxRejection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's publish / update / disengage of a storefront card (cluster-config/EVENT-BUS.md), one handler for the bus
 * ({@code storefront.cards.publish}) and {@code POST /api/storefronts/{slug}/cards}. Idempotent by {@code eventId}
 * (recorded in {@code storefront_card_events} in the same transaction); a message whose {@code version} is not
 * newer than the stored one is dropped. Reply: {@code {eventId, cardId, outcome: applied|stale|duplicate}}. A batch
 * envelope of the bus is applied in a handful of multi-row statements ({@link #applyAll}), with the same rules.
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

  /**
   * The new events of a bus batch envelope, each of its own card: claimed, locked, upserted and their outcomes recorded
   * in one statement each. Whatever the single path would decide differently — a malformed event, an unknown shop
   * (404), two events of one card, a card inserted meanwhile by another transaction — fails the batch, and the inbox
   * applies each event alone through {@link #apply}.
   */
  public static Future<List<JsonObject>> applyAll(SqlConnection tx, List<JsonObject> bodies) {
    List<Event> events = new ArrayList<>(bodies.size());
    bodies.forEach(b -> events.add(Event.parse(b, null)));
    int n = events.size();
    UUID[] eventIds = new UUID[n];
    Long[] cardIds = new Long[n];
    Set<String> shops = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      eventIds[i] = events.get(i).eventId;
      cardIds[i] = events.get(i).cardId;
      shops.add(events.get(i).shop);
    }
    if (new HashSet<>(List.of(cardIds)).size() != n) {
      return Future.failedFuture(new IllegalArgumentException("two events of one card in a batch"));
    }
    return tx.preparedQuery(CardSql.UNKNOWN_SHOPS).execute(Tuple.of((Object) shops.toArray(new String[0])))
        .compose(unknown -> unknown.rowCount() > 0
            ? Future.failedFuture(new IllegalArgumentException("a batch names an unknown shop"))
            : tx.preparedQuery(CardSql.CLAIM_EVENTS).execute(Tuple.tuple().addArrayOfUUID(eventIds).addArrayOfLong(cardIds)))
        .compose(claimed -> {
          Set<UUID> fresh = new HashSet<>();
          claimed.forEach(r -> fresh.add(r.getUUID(0)));
          List<Event> toApply = events.stream().filter(e -> fresh.contains(e.eventId)).toList();
          Long[] locking = toApply.stream().map(Event::cardId).toArray(Long[]::new);
          return tx.preparedQuery(CardSql.VERSIONS_FOR_UPDATE).execute(Tuple.of((Object) locking))
              .compose(locked -> upsertAll(tx, toApply, locked))
              .compose(outcomes -> recordOutcomes(tx, outcomes))
              .map(outcomes -> {
                List<JsonObject> replies = new ArrayList<>(n);
                for (Event e : events) {
                  String outcome = outcomes.getOrDefault(e.eventId, "duplicate");
                  LOG.debug("card event {} eventId={} type={} cardId={} shop={} version={}", outcome, e.eventId,
                      e.type, e.cardId, e.shop, e.version);
                  replies.add(e.reply(outcome));
                }
                LOG.info("card events of a batch: {} applied, {} stale, {} duplicate",
                    outcomes.values().stream().filter("applied"::equals).count(),
                    outcomes.values().stream().filter("stale"::equals).count(), n - outcomes.size());
                return replies;
              });
        });
  }

  /** The locked cards' upserts, where the stored version is older: each fresh event's outcome. */
  private static Future<Map<UUID, String>> upsertAll(SqlConnection tx, List<Event> events,
                                                     io.vertx.sqlclient.RowSet<Row> locked) {
    Map<Long, Long> stored = new HashMap<>();
    locked.forEach(r -> stored.put(r.getLong("slabtrack_card_id"), r.getLong("version")));
    Map<UUID, String> outcomes = new HashMap<>();
    List<Event> updates = new ArrayList<>();
    List<Event> inserts = new ArrayList<>();
    for (Event e : events) {
      Long version = stored.get(e.cardId);
      if (version != null && e.version <= version) {
        LOG.info("card event stale eventId={} cardId={} version={} stored={}", e.eventId, e.cardId, e.version,
            version);
        outcomes.put(e.eventId, "stale");
      } else {
        (version == null ? inserts : updates).add(e);
      }
    }
    Future<Set<Long>> updated = updates.isEmpty() ? Future.succeededFuture(Set.of())
        : tx.preparedQuery(CardSql.UPDATE_ALL).execute(Tuple.tuple().addArrayOfLong(ids(updates))
            .addArrayOfString(updates.stream().map(Event::shop).toArray(String[]::new))
            .addArrayOfJsonObject(snapshots(updates)).addArrayOfLong(updates.stream().map(Event::price)
                .toArray(Long[]::new))
            .addArrayOfLong(updates.stream().map(Event::version).toArray(Long[]::new))
            .addArrayOfBoolean(updates.stream().map(e -> !"disengage".equals(e.type)).toArray(Boolean[]::new))
            .addArrayOfBoolean(updates.stream().map(e -> "publish".equals(e.type)).toArray(Boolean[]::new))
            .addArrayOfString(updates.stream().map(Event::reason).toArray(String[]::new)))
            .map(CardEvents::returnedIds);
    Future<Set<Long>> inserted = updated.compose(u -> inserts.isEmpty() ? Future.succeededFuture(Set.of())
        : tx.preparedQuery(CardSql.INSERT_ALL).execute(Tuple.tuple().addArrayOfLong(ids(inserts))
            .addArrayOfString(inserts.stream().map(Event::shop).toArray(String[]::new))
            .addArrayOfJsonObject(snapshots(inserts)).addArrayOfLong(inserts.stream().map(Event::price)
                .toArray(Long[]::new))
            .addArrayOfLong(inserts.stream().map(Event::version).toArray(Long[]::new))
            .addArrayOfBoolean(inserts.stream().map(e -> !"disengage".equals(e.type)).toArray(Boolean[]::new))
            .addArrayOfString(inserts.stream().map(Event::reason).toArray(String[]::new)))
            .map(CardEvents::returnedIds));
    return inserted.compose(ins -> {
      Set<Long> applied = new HashSet<>(ins);
      applied.addAll(updated.result());
      for (Event e : updates.isEmpty() ? inserts : concat(updates, inserts)) {
        if (!applied.contains(e.cardId)) {
          // inserted by another transaction since the lock (a first publish over HTTP): the single upsert decides
          return Future.failedFuture(new IllegalStateException("card " + e.cardId + " changed under the batch"));
        }
        outcomes.put(e.eventId, "applied");
      }
      return Future.succeededFuture(outcomes);
    });
  }

  private static Future<Map<UUID, String>> recordOutcomes(SqlConnection tx, Map<UUID, String> outcomes) {
    if (outcomes.isEmpty()) {
      return Future.succeededFuture(outcomes);
    }
    UUID[] ids = outcomes.keySet().toArray(new UUID[0]);
    String[] values = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      values[i] = outcomes.get(ids[i]);
    }
    return tx.preparedQuery(CardSql.EVENT_OUTCOMES).execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(values)).map(outcomes);
  }

  private static List<Event> concat(List<Event> a, List<Event> b) {
    List<Event> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Long[] ids(List<Event> events) {
    return events.stream().map(Event::cardId).toArray(Long[]::new);
  }

  /** As the single path stores them: a disengage without a card keeps just its id. */
  private static JsonObject[] snapshots(List<Event> events) {
    return events.stream().map(e -> e.card == null ? new JsonObject().put("id", e.cardId) : e.card)
        .toArray(JsonObject[]::new);
  }

  private static Set<Long> returnedIds(io.vertx.sqlclient.RowSet<Row> rows) {
    Set<Long> ids = new HashSet<>();
    rows.forEach(r -> ids.add(r.getLong(0)));
    return ids;
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
