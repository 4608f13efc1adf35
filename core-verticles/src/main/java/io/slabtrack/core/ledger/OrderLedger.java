package io.slabtrack.core.ledger;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.BusSenders;
import io.slabtrack.cluster.bus.ChannelOwners;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.core.api.OperatorApi;
import io.slabtrack.core.api.VendorAccess;
import io.slabtrack.core.channels.Channel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The order ledger: satellites report order state changes on {@code core.orders.event} (durable, applied once
 * per eventId; only the app selling through an order's channel may report it); the ledger keeps every event and each order's latest state. Read at {@code GET /api/orders}.
 */
public final class OrderLedger implements OperatorApi.Feature {
  private static final Pattern STATE = Pattern.compile("[a-z_]{1,40}");
  private final Pool pool;
  private final BusSenders senders;

  /** @param senders the bus's sender check: only the selling apps report orders, each for its own channel */
  public OrderLedger(Pool pool, BusSenders senders) {
    this.pool = pool;
    this.senders = senders;
  }

  public Future<?> consume(Vertx vertx) {
    return Inbox.consume(vertx, pool, Addresses.CORE_ORDERS_EVENT, senders.only(AppName.TOT, AppName.STOREFRONT),
        this::record);
  }

  @Override
  public void bind(OperatorApi.Binder api) {
    api.on("listOrders", this::list);
  }

  Future<JsonObject> record(SqlConnection tx, JsonObject e, AppName sender) {
    Channel channel = Channel.of(e.getString("channel")).filter(c -> c != Channel.PERSONAL).orElse(null);
    String orderRef = e.getValue("orderRef") instanceof String s && !s.isBlank() ? s : null;
    String state = e.getValue("state") instanceof String s && STATE.matcher(s).matches() ? s : null;
    Long amount = cents(e, "amountCents");
    Instant occurredAt = instant(e.getValue("occurredAt"));
    if (channel == null || orderRef == null || state == null || amount == null || occurredAt == null
        || (e.containsKey("capturedCents") && e.getValue("capturedCents") != null && cents(e, "capturedCents") == null)
        || (e.containsKey("refundedCents") && e.getValue("refundedCents") != null && cents(e, "refundedCents") == null)) {
      return Future.failedFuture(new InboxRejection(400, "invalid_order_event",
          "an order event needs channel, orderRef, state (snake_case), amountCents ≥ 0 and occurredAt"));
    }
    Object rawIds = e.getValue("cardIds");
    JsonArray cardIds = rawIds instanceof JsonArray a ? a : new JsonArray();
    if ((rawIds != null && !(rawIds instanceof JsonArray)) || !cardIds.stream().allMatch(o -> o instanceof Number)) {
      return Future.failedFuture(new InboxRejection(400, "invalid_order_event", "cardIds must be an array of card ids"));
    }
    if (!ChannelOwners.owns(sender, channel.slug)) {
      return Future.failedFuture(new InboxRejection(403, "channel_not_owned",
          "App '" + sender.id() + "' may not report orders of channel '" + channel.slug + "'"));
    }
    Long[] ids = cardIds.stream().map(o -> ((Number) o).longValue()).toArray(Long[]::new);
    return tx.preparedQuery(LedgerSql.INSERT_EVENT).execute(Tuple.of(UUID.fromString(e.getString("eventId")),
            channel.slug, orderRef, state, e, occurredAt.atOffset(ZoneOffset.UTC)))
        .compose(x -> tx.preparedQuery(LedgerSql.UPSERT_ORDER).execute(Tuple.tuple()
            .addString(channel.slug).addString(orderRef).addString(state).addLong(amount)
            .addLong(cents(e, "capturedCents")).addLong(cents(e, "refundedCents")).addValue(ids)
            .addString(e.getString("stripeId")).addValue(occurredAt.atOffset(ZoneOffset.UTC))))
        .map(rows -> new JsonObject().put("eventId", e.getString("eventId")).put("recorded", true)
            .put("channel", channel.slug).put("orderRef", orderRef).put("state", rows.iterator().next().getString("state")));
  }

  private void list(RoutingContext rc) {
    String limit = rc.queryParams().get("limit");
    pool.preparedQuery(LedgerSql.LIST).execute(Tuple.of(rc.queryParams().get("channel"),
            limit == null ? 100 : Integer.parseInt(limit), VendorAccess.ownerScope(rc).orElse(null)))
        .onSuccess(rows -> {
          JsonArray items = new JsonArray();
          for (Row r : rows) {
            items.add(new JsonObject().put("channel", r.getString("channel")).put("orderRef", r.getString("order_ref"))
                .put("state", r.getString("state")).put("amountCents", r.getLong("amount_cents"))
                .put("capturedCents", r.getLong("captured_cents")).put("refundedCents", r.getLong("refunded_cents"))
                .put("cardIds", new JsonArray(List.of(r.getArrayOfLongs("card_ids"))))
                .put("stripeId", r.getString("stripe_id"))
                .put("lastEventAt", r.getOffsetDateTime("last_event_at").toInstant().toString()));
          }
          Responses.ok(rc, new JsonObject().put("items", items));
        })
        .onFailure(rc::fail);
  }

  private static Long cents(JsonObject e, String field) {
    Object v = e.getValue(field);
    return v instanceof Number n && n.longValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue()) ? n.longValue() : null;
  }

  private static Instant instant(Object v) {
    try {
      return v instanceof String s ? Instant.parse(s) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
