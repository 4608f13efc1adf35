package io.slabtrack.storefront.orders;

import io.slabtrack.cluster.mail.Mail;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The buyer's shipping mails — shipped (with the carrier's tracking link), out for delivery, delivered — enqueued in
 * the transaction that changes the order and sent by this app's consumer through the inbox, like the confirmation
 * ({@link Confirmations}: same SMTP outcomes). The event id is derived from the order and the kind, so each mail
 * goes once per order however often the change is reported.
 */
public final class ShippingMails {
  /** Storefront-internal: a Storefront node's outbox to the Storefront app. */
  static final String ADDRESS = "storefront.orders.shipping-mail";
  private final Confirmations confirmations;

  ShippingMails(Confirmations confirmations) {
    this.confirmations = confirmations;
  }

  /** {@code kind}: shipped, out_for_delivery or delivered. */
  static Future<Void> enqueue(SqlConnection tx, Order order, String kind, JsonObject shipment) {
    String key = "ship-mail:" + kind + ":" + order.id();
    return Outbox.enqueue(tx, OutboxMessage.of(ADDRESS, "mail:storefront:" + order.id(), new JsonObject()
        .put("eventId", UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())
        .put("kind", kind).put("orderId", order.id()).put("email", order.email()).put("token", order.buyerToken())
        .put("shop", order.shop()).put("shipment", shipment == null ? new JsonObject() : shipment)));
  }

  /** Enqueues the out-for-delivery mail of an order (the tracking webhook's). */
  public static Future<Void> outForDelivery(SqlConnection tx, Order order) {
    return enqueue(tx, order, "out_for_delivery", order.shipment());
  }

  Future<JsonObject> send(JsonObject m) {
    JsonObject s = m.getJsonObject("shipment", new JsonObject());
    String tracking = s.getString("trackingNumber") == null ? ""
        : "\n" + s.getString("carrier", "Carrier") + " tracking number " + s.getString("trackingNumber")
            + (s.getString("trackingUrl") == null ? "" : ": " + s.getString("trackingUrl")) + "\n";
    String order = "order " + m.getString("orderId") + " from " + m.getString("shop");
    String subject;
    String text;
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
