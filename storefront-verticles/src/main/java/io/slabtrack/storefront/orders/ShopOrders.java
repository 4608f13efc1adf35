package io.slabtrack.storefront.orders;

import io.slabtrack.storefront.settle.Settlement;
import io.slabtrack.storefront.settle.Ledger;
import com.stripe.param.RefundCreateParams;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a shop's owner (or an operator) does with the shop's orders — list, read, ship, refund, mark delivered —
 * for the API ({@link OrderRoutes}) and the owner's pages alike. Every action checks access to the shop first.
 */
public final class ShopOrders {
  public static final Set<String> STATES = Set.of("pending", "awaiting_confirmation", "paid", "shipped", "delivered",
      "cancelled", "refunded", "disputed");
  private final Pool pool;
  private final Checkout checkout;
  private final StripeGateway stripe;
  private final Settlement settlement;
  private final Deliveries deliveries;

  public ShopOrders(Pool pool, Orders orders) {
    this.pool = pool;
    this.checkout = orders.checkout();
    this.stripe = orders.stripe().gateway();
    this.settlement = orders.settlement();
    this.deliveries = new Deliveries(pool);
  }

  /** The shop's orders, newest first; {@code state} null for all. */
  public Future<List<Order>> list(String slug, VerifiedToken who, String state, int limit, int offset) {
    if (state != null && !STATES.contains(state)) {
      throw ApiErrors.invalidField("state", "state must be one of " + STATES);
    }
    return Shops.get(pool, slug).compose(shop -> {
      shop.requireAccess(who);
      return pool.preparedQuery(OrderSql.LIST).execute(Tuple.of(slug, state, limit, offset));
    }).map(rows -> {
      List<Order> out = new ArrayList<>();
      rows.forEach(r -> out.add(Order.of(r)));
      return out;
    });
  }

  /** One order of the shop; 403 for strangers, 404 when it is another shop's. */
  public Future<Order> owned(String slug, String orderId, VerifiedToken who) {
    return Shops.get(pool, slug).compose(shop -> {
      shop.requireAccess(who);
      return checkout.order(orderId);
    }).map(order -> {
      if (order == null || !order.shop().equals(slug)) {
        throw ApiErrors.notFound("Order");
      }
      return order;
    });
  }

  /** An order by id, whoever's it is (null if none): for code that checked access itself. */
  public Future<Order> order(String orderId) {
    return checkout.order(orderId);
  }

  public Future<List<OrderItem>> items(Order order) {
    return checkout.items(order.id());
  }

  /** A shipment's field: required, 1-100 characters (400 naming it otherwise). */
  public static String shipmentField(String field, Object value) {
    if (!(value instanceof String s) || s.isBlank() || s.length() > 100) {
      throw ApiErrors.invalidField(field, field + " is required (1-100 characters)");
    }
    return s.strip();
  }

  /** paid → shipped with the carrier and tracking number; 409 {@code illegal_transition} from any other state. */
  public Future<Order> ship(String slug, String orderId, VerifiedToken who, String carrier, String trackingNumber) {
    String c = shipmentField("carrier", carrier);
    String t = shipmentField("trackingNumber", trackingNumber);
    return owned(slug, orderId, who).compose(order -> pool.withTransaction(tx -> markShipped(tx, order.id(),
            new JsonObject().put("carrier", c).put("trackingNumber", t)))
        .compose(x -> checkout.order(order.id())));
  }

  /**
   * paid → shipped in the caller's transaction, the one way an order ships (by hand or with a bought label): the
   * shipment gets {@code shippedAt}, core's ledger hears {@code shipped}, the buyer gets the shipped mail; 409 {@code illegal_transition} from any
   * other state.
   */
  public static Future<Void> markShipped(SqlConnection tx, String orderId, JsonObject shipment) {
    return tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(orderId)).compose(rows -> {
      Order now = Checkout.first(rows);
      if (!"paid".equals(now.state())) {
        throw ApiErrors.conflict("illegal_transition", "Only a paid order can be shipped (it is " + now.state() + ")");
      }
      JsonObject shipped = shipment.copy().put("shippedAt", Instant.now().toString());
      return tx.preparedQuery(OrderSql.SHIP).execute(Tuple.of(now.id(), shipped))
          .compose(x -> Ledger.record(tx, now, "shipped", null))
          .compose(x -> ShippingMails.enqueue(tx, now, "shipped", shipped));
    });
  }

  /**
   * The carrier has a shipped order out for delivery (the tracking webhook, in its transaction): the order stays
   * shipped (DOMAIN.md's states), core's ledger hears {@code out_for_delivery} and the buyer gets the mail once.
   * Any other state: nothing (a refunded order's parcel may still travel).
   */
  public static Future<Void> outForDelivery(SqlConnection tx, String orderId) {
    return tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(orderId)).compose(rows -> {
      Order now = Checkout.first(rows);
      if (!"shipped".equals(now.state())) {
        return Future.succeededFuture();
      }
      return Ledger.record(tx, now, "out_for_delivery", null).compose(x -> ShippingMails.outForDelivery(tx, now));
    });
  }

  /** The order's state in the caller's transaction (locked), null when unknown. */
  public static Future<String> lockedState(SqlConnection tx, String orderId) {
    return tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(orderId))
        .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString("state"));
  }

  /**
   * shipped → paid in the caller's transaction when the shipment's unused label was refunded: the parcel never left,
   * so the order is to ship again; core's ledger hears {@code paid} (newer, so its state follows). Other states: no-op.
   */
  public static Future<Void> unship(SqlConnection tx, String orderId) {
    return tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(orderId)).compose(rows -> {
      Order now = Checkout.first(rows);
      if (!"shipped".equals(now.state())) {
        return Future.succeededFuture();
      }
      return tx.preparedQuery(OrderSql.UNSHIP).execute(Tuple.of(now.id()))
          .compose(x -> Ledger.record(tx, now, "paid", new JsonObject().put("capturedCents", now.capturedCents())
              .put("reason", "label_refunded")));
    });
  }

  /**
   * Full ({@code amountCents} null) or partial; {@code reverse_transfer} and {@code refund_application_fee} so the
   * seller and the platform each give back their part. The idempotency key is derived from the order (and
   * {@code requestKey}, or the amount and what was refunded so far, for partial refunds): a double click refunds once.
   */
  public Future<Order> refund(String slug, String orderId, VerifiedToken who, Long amountCents, String requestKey) {
    if (amountCents != null && amountCents <= 0) {
      throw ApiErrors.invalidField("amountCents", "amountCents must be whole cents > 0");
    }
    return owned(slug, orderId, who).compose(order -> {
      if ("refunded".equals(order.state()) && amountCents == null) {
        return Future.succeededFuture(order); // a double click on "refund all": the first answer again
      }
      if (!order.paidState() && !"disputed".equals(order.state())) {
        throw ApiErrors.conflict("illegal_transition", "Only a paid order can be refunded (it is " + order.state() + ")");
      }
      long refundable = order.capturedCents() - order.refundedCents();
      long amount = amountCents == null ? refundable : amountCents;
      if (amount <= 0 && amountCents == null) {
        return Future.succeededFuture(order); // already fully refunded: the double click's answer
      }
      if (amount > refundable) {
        throw ApiErrors.conflict("refund_exceeds_payment", "At most " + refundable + " cents can still be refunded");
      }
      String key = stripe.keyPrefix() + "refund-" + order.id()
          + (amountCents == null ? "" : "-" + (requestKey != null ? requestKey : amount + "-" + order.refundedCents()));
      RefundCreateParams params = RefundCreateParams.builder().setPaymentIntent(order.paymentIntentId())
          .setAmount(amount).setReverseTransfer(true).setRefundApplicationFee(true)
          .putMetadata("orderId", order.id()).putMetadata("app", "storefront").build();
      return stripe.createRefund(params, key).compose(refund -> pool.withTransaction(tx ->
          tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(order.id()))
              .compose(rows -> settlement.refund(tx, Checkout.first(rows), refund.getId(), refund.getAmount())))
          .compose(x -> checkout.order(order.id())));
    });
  }

  /** shipped → delivered, optionally at the carrier's {@code deliveredAt}; see {@link Deliveries}. */
  public Future<Order> deliver(String slug, String orderId, VerifiedToken who, Instant at) {
    return owned(slug, orderId, who).compose(order -> deliveries.deliver(order.id(), at)
        .compose(x -> checkout.order(order.id())));
  }
}
