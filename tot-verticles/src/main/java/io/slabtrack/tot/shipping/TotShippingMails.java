package io.slabtrack.tot.shipping;

import io.slabtrack.cluster.mail.Mail;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ToT buyer's shipping mails (shipped with the tracking link, out for delivery, delivered): enqueued in the
 * transaction that changes the order, sent by this app's consumer through the inbox, once per order and kind. No
 * SMTP on a node (node mode): rejected for good (409, dead-lettered, replayable at GET /api/outbox).
 */
public final class TotShippingMails {
  static final String ADDRESS = "tot.orders.shipping-mail";
  private static final Logger LOG = LoggerFactory.getLogger(TotShippingMails.class);
  private final Mailer mailer;
  private final String publicUrl;

  public TotShippingMails(Mailer mailer, String publicUrl) {
    this.mailer = mailer;
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  public Future<?> consume(Vertx vertx, Pool pool) {
    return Inbox.consume(vertx, pool, ADDRESS, this::send, (tx, sent) -> Future.succeededFuture(sent));
  }

  /** @param order the orders row (id, email, status_token, carrier, tracking_number) */
  public static Future<Void> enqueue(SqlConnection tx, Row order, String kind, String trackingUrl) {
    String id = order.getString("id");
    return Outbox.enqueue(tx, OutboxMessage.of(ADDRESS, "mail:thisorthat:" + id, new JsonObject()
        .put("eventId", UUID.nameUUIDFromBytes(("ship-mail:" + kind + ":" + id).getBytes(StandardCharsets.UTF_8))
            .toString())
        .put("kind", kind).put("orderId", id).put("email", order.getString("email"))
        .put("token", order.getString("status_token")).put("carrier", order.getString("carrier"))
        .put("trackingNumber", order.getString("tracking_number")).put("trackingUrl", trackingUrl)));
  }

  Future<JsonObject> send(JsonObject m) {
    if (!mailer.canSend()) {
      LOG.warn("order {}: shipping mail not sent: no SMTP_HOST on this node; dead-lettered", m.getString("orderId"));
      return Future.failedFuture(new InboxRejection(409, "mail_not_configured",
          "Mail is not configured on this node (no SMTP_HOST); replay this message once it is"));
    }
    String tracking = m.getString("trackingNumber") == null ? "" : "\n" + m.getString("carrier", "Carrier")
        + " tracking number " + m.getString("trackingNumber")
        + (m.getString("trackingUrl") == null ? "" : ": " + m.getString("trackingUrl")) + "\n";
    String order = "ThisOrThat order " + m.getString("orderId");
    String subject = switch (m.getString("kind")) {
      case "shipped" -> "Your ThisOrThat order has shipped";
      case "out_for_delivery" -> "Your ThisOrThat order is out for delivery";
      default -> "Your ThisOrThat order was delivered";
    };
    String text = subject.replace("Your ThisOrThat order", "Your " + order) + "." + tracking
        + "\nCheck its status any time: " + publicUrl + "/api/orders/" + m.getString("orderId") + "?token="
        + m.getString("token") + "\n";
    return mailer.send(new Mail(m.getString("email"), subject, text)).map(new JsonObject().put("sent", true));
  }
}
