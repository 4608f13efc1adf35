package io.slabtrack.storefront.orders;

import io.slabtrack.storefront.settle.Confirmations;
import io.slabtrack.cluster.mail.Mail;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The buyer's shipping mails — shipped (with the carrier's tracking link), out for delivery, delivered — and the
 * shop's "new order" notice to its owner when an order is paid; each enqueued in
 * the transaction that changes the order and sent by this app's consumer through the inbox, like the confirmation
 * ({@link Confirmations}: same SMTP outcomes). The event id is derived from the order and the kind, so each mail
 * goes once per order however often the change is reported.
 */
public final class ShippingMails {
  /** Storefront-internal: a Storefront node's outbox to the Storefront app. */
  public static final String ADDRESS = "storefront.orders.shipping-mail";
  private final Confirmations confirmations;

  public ShippingMails(Confirmations confirmations) {
    this.confirmations = confirmations;
  }

  /** {@code kind}: shipped, out_for_delivery or delivered. */
  public static Future<Void> enqueue(SqlConnection tx, Order order, String kind, JsonObject shipment) {
    String key = "ship-mail:" + kind + ":" + order.id();
    return Outbox.enqueue(tx, OutboxMessage.of(ADDRESS, "mail:storefront:" + order.id(), new JsonObject()
        .put("eventId", UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())
        .put("kind", kind).put("orderId", order.id()).put("email", order.email()).put("token", order.buyerToken())
        .put("shop", order.shop()).put("shipment", shipment == null ? new JsonObject() : shipment)));
  }

  /**
   * The shop's "new order" notice to its {@code orderMailTo} (the owner), in the transaction that marks the order
   * paid: what to pack and where to ship it. A shop without that address gets none.
   */
  public static Future<Void> newOrder(SqlConnection tx, Order order) {
    return tx.preparedQuery("SELECT order_mail_to FROM storefronts WHERE slug = $1").execute(Tuple.of(order.shop()))
        .compose(rows -> {
          String to = rows.rowCount() == 0 ? null : rows.iterator().next().getString(0);
          if (to == null) {
            return Future.succeededFuture();
          }
          String key = "ship-mail:new_order:" + order.id();
          return Outbox.enqueue(tx, OutboxMessage.of(ADDRESS, "mail:storefront:" + order.id(), new JsonObject()
              .put("eventId", UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())
              .put("kind", "new_order").put("orderId", order.id()).put("email", to).put("shop", order.shop())
              .put("amountCents", order.amountCents()).put("cards", order.cardIds().size())
              .put("shipTo", order.shippingAddress())));
        });
  }

  /** Enqueues the out-for-delivery mail of an order (the tracking webhook's). */
  public static Future<Void> outForDelivery(SqlConnection tx, Order order) {
    return enqueue(tx, order, "out_for_delivery", order.shipment());
  }

  public Future<JsonObject> send(JsonObject m) {
    JsonObject s = m.getJsonObject("shipment", new JsonObject());
    String tracking = s.getString("trackingNumber") == null ? ""
        : "\n" + s.getString("carrier", "Carrier") + " tracking number " + s.getString("trackingNumber")
            + (s.getString("trackingUrl") == null ? "" : ": " + s.getString("trackingUrl")) + "\n";
    String order = "order " + m.getString("orderId") + " from " + m.getString("shop");
    String subject;
    String text;
    if ("new_order".equals(m.getString("kind"))) {
      JsonObject to = m.getJsonObject("shipTo", new JsonObject());
      String notice = "New order " + m.getString("orderId") + " in " + m.getString("shop") + ": "
          + m.getInteger("cards") + " card(s), " + Confirmations.dollars(m.getLong("amountCents")) + " paid.\n"
          + "Ship to: " + to.getString("name") + ", " + to.getString("city") + " " + to.getString("postalCode")
          + ".\nBuy its label and pack it: " + confirmations.publicUrl() + "/s/" + m.getString("shop") + "/manage\n";
      return confirmations.deliver(m.getString("orderId"), new Mail(m.getString("email"),
          "New order " + m.getString("orderId") + " to ship", notice));
    }
    switch (m.getString("kind")) {
      case "shipped" -> {
        subject = "Your SlabTrack order has shipped";
        text = "Your " + order + " is on its way." + tracking;
      }
      case "out_for_delivery" -> {
        subject = "Your SlabTrack order is out for delivery";
        text = "Your " + order + " is out for delivery today." + tracking;
      }
      default -> {
        subject = "Your SlabTrack order was delivered";
        text = "Your " + order + " was delivered. Enjoy your cards!" + tracking;
      }
    }
    text += "\nFollow your order here: " + confirmations.statusLink(m) + "\n";
    return confirmations.deliver(m.getString("orderId"), new Mail(m.getString("email"), subject, text));
  }
}
