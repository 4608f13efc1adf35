package io.slabtrack.storefront.orders;

import io.slabtrack.storefront.settle.Ledger;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * shipped → delivered, as the shop's owner or an operator reports it, with a {@code delivered} event for core's
 * ledger. Marking a delivered order delivered again changes nothing (no second ledger event), so a retry or a double
 * click gets the same answer; any other state is a 409 naming it. Refunds and disputes treat a delivered order like
 * a paid or shipped one ({@link Order#paidState()}).
 */
public final class Deliveries {
  /** A reported time this far ahead of our clock is a mistake, not clock skew. */
  private static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  private final Pool pool;

  public Deliveries(Pool pool) {
    this.pool = pool;
  }

  /** @param body {@code {"deliveredAt"?: ISO-8601}}; without it, now. In microseconds, as the column keeps it. */
  static Instant deliveredAt(JsonObject body) {
    Object raw = body.getValue("deliveredAt");
    if (raw == null) {
      return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
    Instant at;
    try {
      at = Instant.parse((String) raw);
    } catch (ClassCastException | DateTimeParseException e) {
      throw ApiErrors.invalidField("deliveredAt", "deliveredAt must be an ISO-8601 time, e.g. 2026-01-31T15:00:00Z");
    }
    if (at.isAfter(Instant.now().plus(MAX_SKEW))) {
      throw ApiErrors.invalidField("deliveredAt", "deliveredAt can't be in the future");
    }
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  /** Completes once the order is delivered (now, or before); fails with 409 from any state but shipped. */
  public Future<Void> deliver(String orderId, Instant at) {
    return pool.withTransaction(tx -> deliverIn(tx, orderId, at));
  }

  /** The same in the caller's transaction (the tracking webhook's). */
  public static Future<Void> deliverIn(SqlConnection tx, String orderId, Instant at) {
    return tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(orderId))
        .compose(rows -> {
          Order order = Checkout.first(rows);
          if ("delivered".equals(order.state())) {
            return Future.succeededFuture(); // the first report stands
          }
          if (!"shipped".equals(order.state())) {
            return Future.failedFuture(new ApiException(409, "illegal_transition",
                "Only a shipped order can be delivered (it is " + order.state() + ")",
                new JsonObject().put("state", order.state())));
          }
          LOG.info("order {} delivered at {}", order.id(), at);
          return tx.preparedQuery(OrderSql.DELIVER).execute(Tuple.of(order.id(), at.atOffset(ZoneOffset.UTC)))
              .compose(x -> Ledger.record(tx, order, "delivered", new JsonObject().put("deliveredAt", at.toString())))
              .compose(x -> ShippingMails.enqueue(tx, order, "delivered", order.shipment()));
        });
  }
}
