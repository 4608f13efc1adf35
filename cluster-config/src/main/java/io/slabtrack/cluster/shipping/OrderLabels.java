package io.slabtrack.cluster.shipping;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.shipping.LabelPurchase.Label;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An order's shipping label in either satellite: bought once through Shippo by the rules and the order shipped with
 * it through the app's own transition; its PDF; the refund of an unused one. The app checks who may act before
 * calling here.
 *
 * <p>The label row is the guard: the first request claims it and buys, every concurrent or later one waits for that
 * purchase and gets the same label, so a double click or a retry never buys two. A purchase that fails (an address
 * Shippo rejects…) drops its claim: nothing bought, nothing changed. A claim left by a node that died mid-purchase
 * is taken over after two minutes with the same idempotency key ({@code label-<row id>}).
 */
public final class OrderLabels {
  private static final Logger LOG = LoggerFactory.getLogger(OrderLabels.class);
  private static final long WAIT_MS = 90_000;
  private static final long POLL_MS = 150;

  private final Vertx vertx;
  private final Pool pool;
  private final ShippableOrders orders;
  private final LabelPurchase purchase;

  public OrderLabels(Vertx vertx, Pool pool, ShippableOrders orders, LabelPurchase purchase) {
    this.vertx = vertx;
    this.pool = pool;
    this.orders = orders;
    this.purchase = purchase;
  }

  /** 503 {@code shipping_not_configured} without Shippo: the routes check it before anything else. */
  public void requireConfigured() {
    purchase.shippo().requireConfigured();
  }

  public LabelPurchase purchase() {
    return purchase;
  }

  public Pool pool() {
    return pool;
  }

  /** The order's live label, or a new one bought now (the order must be paid). */
  public Future<StoredLabel> labelFor(ShippableOrders.Order order) {
    return labelFor(order, true);
  }

  /** The label's PDF; 404 {@code no_label} when the order has none. */
  public Future<Buffer> pdf(String orderId) {
    return live(orderId).compose(label -> label == null || !label.bought()
        ? Future.failedFuture(new ApiException(404, "no_label", "This order has no label"))
        : purchase.shippo().download(label.labelUrl()));
  }

  /** Refunds an unused label: the order goes back to paid, to be shipped again. */
  public Future<JsonObject> refund(ShippableOrders.Order order) {
    return live(order.id()).compose(label -> {
      if (label == null || !label.bought()) {
        return Future.failedFuture(new ApiException(404, "no_label", "This order has no label to refund"));
      }
      if (!"shipped".equals(order.state())) {
        return Future.failedFuture(new ApiException(409, "label_used",
            "The label can't be refunded once the order is " + order.state()));
      }
      return purchase.shippo().refund(label.transactionId())
          .compose(r -> pool.withTransaction(tx -> tx.preparedQuery(LabelSql.REFUNDED).execute(Tuple.of(label.id()))
              .compose(x -> orders.unship(tx, order.id()))))
          .map(x -> {
            LOG.info("label {} of order {} refunded", label.id(), order.id());
            return new JsonObject().put("labelId", label.id()).put("orderId", order.id()).put("state", "refunded");
          });
    });
  }

  public Future<StoredLabel> live(String orderId) {
    return pool.preparedQuery(LabelSql.LIVE).execute(Tuple.of(orderId))
        .map(rows -> rows.size() == 0 ? null : StoredLabel.of(rows.iterator().next()));
  }

  /** The bought label with this tracking number, or null. */
  public Future<StoredLabel> byTracking(String trackingNumber) {
    return pool.preparedQuery(LabelSql.BY_TRACKING).execute(Tuple.of(trackingNumber))
        .map(rows -> rows.size() == 0 ? null : StoredLabel.of(rows.iterator().next()));
  }

  /** {@code mayRetry}: when the holder of the claim gave up (its purchase failed), try once ourselves. */
  private Future<StoredLabel> labelFor(ShippableOrders.Order order, boolean mayRetry) {
    return live(order.id()).compose(existing -> {
      if (existing != null) {
        return existing.bought() ? Future.succeededFuture(existing) : awaitOther(order, mayRetry);
      }
      if (!orders.shippable(order.state())) {
        return Future.failedFuture(ApiErrors.conflict("illegal_transition",
            "Only a paid order gets a label (it is " + order.state() + ")"));
      }
      String id = "lbl_" + UUID.randomUUID().toString().replace("-", "");
      return pool.preparedQuery(LabelSql.CLAIM).execute(Tuple.of(id, order.id())).compose(rows ->
          rows.size() == 1 ? purchase(order, id) : awaitOther(order, mayRetry));
    });
  }

  private Future<StoredLabel> purchase(ShippableOrders.Order order, String labelId) {
    return purchase.buy(order.shipFrom(), order.shipTo(), order.amountCents(), order.slabs(),
            orders.metadata(order.id()), "label-" + labelId)
        .recover(t -> pool.preparedQuery(LabelSql.GIVE_UP).execute(Tuple.of(labelId))
            .transform(x -> Future.failedFuture(t)))
        .compose(label -> record(labelId, label))
        // the label is kept even if the order changed meanwhile (refunded…): it shows, and can be refunded
        .compose(label -> pool.withTransaction(tx -> orders.markShipped(tx, order.id(), label.shipment()))
            .map(label));
  }

  private Future<StoredLabel> record(String labelId, Label l) {
    LOG.info("label {} bought: {} {} {} ({} cents)", labelId, l.carrier(), l.service(), l.trackingNumber(),
        l.costCents());
    return pool.preparedQuery(LabelSql.BOUGHT).execute(Tuple.tuple().addString(labelId).addString(l.transactionId())
            .addString(l.carrier()).addString(l.service()).addString(l.serviceName()).addString(l.trackingNumber())
            .addString(l.trackingUrl()).addString(l.labelUrl()).addLong(l.costCents()).addLong(l.insuranceCents())
            .addValue(l.shipFrom()))
        .compose(x -> pool.preparedQuery(LabelSql.BY_ID).execute(Tuple.of(labelId)))
        .map(rows -> StoredLabel.of(rows.iterator().next()));
  }

  /** Another request is buying: poll until it is bought, gives up (then try once ourselves) or looks dead. */
  private Future<StoredLabel> awaitOther(ShippableOrders.Order order, boolean mayRetry) {
    Promise<StoredLabel> done = Promise.promise();
    poll(order, mayRetry, System.currentTimeMillis() + WAIT_MS, done);
    return done.future();
  }

  private void poll(ShippableOrders.Order order, boolean mayRetry, long deadline, Promise<StoredLabel> done) {
    vertx.setTimer(POLL_MS, t -> live(order.id()).onFailure(done::fail).onSuccess(label -> {
      if (label != null && label.bought()) {
        done.complete(label);
      } else if (label == null) {
        if (mayRetry) {
          orders.read(order.id()).compose(fresh -> labelFor(fresh, false)).onComplete(done);
        } else {
          done.fail(new ApiException(409, "label_failed", "Buying this order's label failed; try again"));
        }
      } else if (System.currentTimeMillis() > deadline) {
        pool.preparedQuery(LabelSql.TAKE_OVER).execute(Tuple.of(order.id())).onFailure(done::fail).onSuccess(rows -> {
          if (rows.size() == 1) {
            purchase(order, rows.iterator().next().getString("id")).onComplete(done);
          } else {
            done.fail(new ApiException(409, "label_in_progress", "This order's label is still being bought"));
          }
        });
      } else {
        poll(order, mayRetry, deadline, done);
      }
    }));
  }
}
