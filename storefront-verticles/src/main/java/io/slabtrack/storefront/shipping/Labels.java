package io.slabtrack.storefront.shipping;

import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.shipping.LabelPurchase;
import io.slabtrack.cluster.shipping.LabelPurchase.Label;
import io.slabtrack.storefront.orders.Order;
import io.slabtrack.storefront.orders.ShopOrders;
import io.slabtrack.storefront.shops.Shop;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An order's shipping label (owner or operator): bought once through Shippo by the rules, the order shipped with
 * it; its PDF; the refund of an unused one. The label row is the guard: the first request claims it and buys, every
 * concurrent or later one waits for that purchase and gets the same label, so a double click or a retry never buys
 * two. A purchase that fails (an address Shippo rejects…) drops its claim: nothing bought, nothing changed.
 */
public final class Labels {
  private static final Logger LOG = LoggerFactory.getLogger(Labels.class);
  private static final long WAIT_MS = 90_000;
  private static final long POLL_MS = 150;

  private final Vertx vertx;
  private final Pool pool;
  private final ShopOrders shopOrders;
  private final LabelPurchase purchase;

  public Labels(Vertx vertx, Pool pool, ShopOrders shopOrders, LabelPurchase purchase) {
    this.vertx = vertx;
    this.pool = pool;
    this.shopOrders = shopOrders;
    this.purchase = purchase;
  }

  /** 503 {@code shipping_not_configured} without Shippo: checked before anything else. */
  public void requireConfigured() {
    purchase.shippo().requireConfigured();
  }

  /** The order's label, bought now unless it has one (then that one, whatever the order's state). */
  public Future<JsonObject> buy(String slug, String orderId, VerifiedToken who) {
    return shopOrders.owned(slug, orderId, who)
        .compose(order -> Shops.get(pool, slug).compose(shop -> labelFor(shop, order, true)))
        .map(label -> label.toJson(slug));
  }

  /** The label's PDF; 404 {@code no_label} when the order has none. */
  public Future<Buffer> pdf(String slug, String orderId, VerifiedToken who) {
    return shopOrders.owned(slug, orderId, who).compose(order -> live(order.id())).compose(label -> {
      if (label == null || !"bought".equals(label.state())) {
        return Future.failedFuture(new ApiException(404, "no_label", "This order has no label"));
      }
      return purchase.shippo().download(label.labelUrl());
    });
  }

  /** Refunds an unused label: the order goes back to paid, to be shipped again. */
  public Future<JsonObject> refund(String slug, String orderId, VerifiedToken who) {
    return shopOrders.owned(slug, orderId, who).compose(order -> live(order.id()).compose(label -> {
      if (label == null || !"bought".equals(label.state())) {
        return Future.failedFuture(new ApiException(404, "no_label", "This order has no label to refund"));
      }
      if (!"shipped".equals(order.state())) {
        return Future.failedFuture(new ApiException(409, "label_used",
            "The label can't be refunded once the order is " + order.state()));
      }
      return purchase.shippo().refund(label.transactionId())
          .compose(r -> pool.withTransaction(tx -> tx.preparedQuery(LabelSql.REFUNDED).execute(Tuple.of(label.id()))
              .compose(x -> ShopOrders.unship(tx, order.id()))))
          .map(x -> {
            LOG.info("label {} of order {} refunded", label.id(), order.id());
            return new JsonObject().put("labelId", label.id()).put("orderId", order.id()).put("state", "refunded");
          });
    }));
  }

  /**
   * The order's live label, or a new one: claims the purchase, or waits for whoever holds it.
   * {@code mayRetry}: a holder that gave up (its purchase failed) lets this request try once itself.
   */
  Future<ShippingLabel> labelFor(Shop shop, Order order, boolean mayRetry) {
    return live(order.id()).compose(existing -> {
      if (existing != null) {
        return "bought".equals(existing.state()) ? Future.succeededFuture(existing)
            : awaitOther(shop, order, mayRetry);
      }
      if (!"paid".equals(order.state())) {
        return Future.failedFuture(ApiErrors.conflict("illegal_transition",
            "Only a paid order gets a label (it is " + order.state() + ")"));
      }
      String id = "lbl_" + UUID.randomUUID().toString().replace("-", "");
      return pool.preparedQuery(LabelSql.CLAIM).execute(Tuple.of(id, order.id())).compose(rows ->
          rows.size() == 1 ? purchase(shop, order, id) : awaitOther(shop, order, mayRetry));
    });
  }

  private Future<ShippingLabel> purchase(Shop shop, Order order, String labelId) {
    return purchase.buy(shop.shipFrom(), order.shippingAddress(), order.amountCents(), order.cardIds().size(),
            "storefront:" + order.id(), "label-" + labelId)
        .recover(t -> pool.preparedQuery(LabelSql.GIVE_UP).execute(Tuple.of(labelId))
            .transform(x -> Future.failedFuture(t)))
        .compose(label -> record(labelId, label))
        .compose(label -> pool.withTransaction(tx -> ShopOrders.markShipped(tx, order.id(), shipment(label)))
            .map(label)
            .recover(t -> {
              // the label is bought and kept: the owner sees it and may refund it (the order changed meanwhile)
              LOG.warn("label {} bought but order {} not shipped: {}", labelId, order.id(), t.getMessage());
              return Future.failedFuture(t);
            }));
  }

  private Future<ShippingLabel> record(String labelId, Label l) {
    LOG.info("label {} bought: {} {} {} ({} cents)", labelId, l.carrier(), l.service(), l.trackingNumber(),
        l.costCents());
    return pool.preparedQuery(LabelSql.BOUGHT).execute(Tuple.tuple().addString(labelId).addString(l.transactionId())
            .addString(l.carrier()).addString(l.service()).addString(l.serviceName()).addString(l.trackingNumber())
            .addString(l.trackingUrl()).addString(l.labelUrl()).addLong(l.costCents()).addLong(l.insuranceCents())
            .addValue(l.shipFrom()))
        .compose(x -> pool.preparedQuery("SELECT " + LabelSql.COLUMNS + " FROM shipping_labels WHERE id = $1")
            .execute(Tuple.of(labelId)))
        .map(rows -> ShippingLabel.of(rows.iterator().next()));
  }

  static JsonObject shipment(ShippingLabel l) {
    return new JsonObject().put("carrier", l.carrier()).put("service", l.service())
        .put("serviceName", l.serviceName()).put("trackingNumber", l.trackingNumber())
        .put("trackingUrl", l.trackingUrl()).put("label", true);
  }

  /** Another request is buying: poll until it is bought, gives up (then try once ourselves) or looks dead. */
  private Future<ShippingLabel> awaitOther(Shop shop, Order order, boolean mayRetry) {
    Promise<ShippingLabel> done = Promise.promise();
    long deadline = System.currentTimeMillis() + WAIT_MS;
    poll(shop, order, mayRetry, deadline, done);
    return done.future();
  }

  private void poll(Shop shop, Order order, boolean mayRetry, long deadline, Promise<ShippingLabel> done) {
    vertx.setTimer(POLL_MS, t -> live(order.id()).onFailure(done::fail).onSuccess(label -> {
      if (label != null && "bought".equals(label.state())) {
        done.complete(label);
      } else if (label == null) {
        if (!mayRetry) {
          done.fail(new ApiException(409, "label_failed", "Buying this order's label failed; try again"));
        } else {
          reread(order).compose(fresh -> labelFor(shop, fresh, false)).onComplete(done);
        }
      } else if (System.currentTimeMillis() > deadline) {
        pool.preparedQuery(LabelSql.TAKE_OVER).execute(Tuple.of(order.id())).onFailure(done::fail).onSuccess(rows -> {
          if (rows.size() == 1) {
            purchase(shop, order, rows.iterator().next().getString("id")).onComplete(done);
          } else {
            done.fail(new ApiException(409, "label_in_progress", "This order's label is still being bought"));
          }
        });
      } else {
        poll(shop, order, mayRetry, deadline, done);
      }
    }));
  }

  private Future<Order> reread(Order order) {
    return pool.preparedQuery("SELECT state FROM orders WHERE id = $1").execute(Tuple.of(order.id())).map(rows -> {
      Row r = rows.iterator().next();
      return order.withState(r.getString("state"));
    });
  }

  Future<ShippingLabel> live(String orderId) {
    return pool.preparedQuery(LabelSql.LIVE).execute(Tuple.of(orderId))
        .map(rows -> rows.size() == 0 ? null : ShippingLabel.of(rows.iterator().next()));
  }

  LabelPurchase purchase() {
    return purchase;
  }

  Pool pool() {
    return pool;
  }
}
