package io.slabtrack.storefront.orders;

import io.slabtrack.cluster.mail.Mail;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.SMTPException;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buyer's confirmation mail, with the private status link. Enqueued in the transaction that marks the order
 * paid and sent by this app's own consumer ({@link #ADDRESS}, through the inbox: once per order), so a slow or
 * failing SMTP server never holds up settlement.
 */
final class Confirmations {
  /** Storefront-internal: the outbox of a Storefront node to the Storefront app. */
  static final String ADDRESS = "storefront.orders.confirm";
  private static final Logger LOG = LoggerFactory.getLogger(Confirmations.class);

  private final Mailer mailer;
  private final String publicUrl;

  Confirmations(Mailer mailer, String publicUrl) {
    this.mailer = mailer;
    this.publicUrl = publicUrl;
    if (!mailer.canSend()) {
      LOG.warn("order confirmation mails will be dead-lettered (GET /api/outbox) until SMTP_HOST is set; "
          + "replay them then");
    }
  }

  /**
   * Its own outbox aggregate, not the order's: the order's ledger events (shipped, refunded…) must not wait behind a
   * mail that an SMTP outage keeps retrying.
   */
  Future<Void> enqueue(SqlConnection tx, Order order) {
    return Outbox.enqueue(tx, OutboxMessage.of(ADDRESS, "confirm:storefront:" + order.id(), new JsonObject()
        .put("eventId", java.util.UUID.nameUUIDFromBytes(("confirm:" + order.id()).getBytes()).toString())
        .put("orderId", order.id()).put("email", order.email()).put("token", order.buyerToken())
        .put("shop", order.shop()).put("amountCents", order.amountCents())));
  }

  /**
   * The inbox's step before its transaction, so no connection is held over SMTP (a redelivery racing the first may
   * send the mail twice; an answered one is not sent again). A node without SMTP_HOST (node mode) can never send, so retrying would only pile up rows and
   * log lines: the mail is rejected for good (4xx: dead-lettered, listed at GET /api/outbox and replayable there once
   * SMTP is configured). A configured SMTP server that fails is a plain failure, which the relay retries.
   */
  Future<JsonObject> send(JsonObject m) {
    String link = publicUrl + "/api/orders/" + m.getString("orderId") + "?token=" + m.getString("token");
    String text = "Thank you for your order from " + m.getString("shop") + ".\n\n"
        + "Order " + m.getString("orderId") + ": " + dollars(m.getLong("amountCents")) + " paid.\n"
        + "Follow your order here: " + link + "\n";
    return deliver(m.getString("orderId"), new Mail(m.getString("email"), "Your SlabTrack order "
        + m.getString("orderId"), text));
  }

  /** Where people reach the Storefront ({@code STOREFRONT_PUBLIC_URL}). */
  String publicUrl() {
    return publicUrl;
  }

  /** The buyer's private status link of an order mail's body. */
  String statusLink(JsonObject m) {
    return publicUrl + "/api/orders/" + m.getString("orderId") + "?token=" + m.getString("token");
  }

  /** Sends one order mail with the outcomes described at {@link #send} (shared by the shipping mails). */
  Future<JsonObject> deliver(String orderId, Mail mail) {
    if (!mailer.canSend()) {
      LOG.warn("order {}: mail not sent: SMTP_HOST is not set on this node, so it is dead-lettered; "
          + "replay it at POST /api/outbox/{id}/replay once SMTP is configured", orderId);
      // 409: the message is fine, this node's state (no SMTP) refuses it until an operator changes that
      return Future.failedFuture(new InboxRejection(409, "mail_not_configured",
          "Mail is not configured on this node (no SMTP_HOST); replay this message once it is"));
    }
    return mailer.send(mail).map(new JsonObject().put("sent", true))
        .recover(e -> Future.failedFuture(permanentlyRefused(e) ? refused(orderId, (SMTPException) e) : e));
  }

  /**
   * A 5xx SMTP reply (no such mailbox, relaying denied, message rejected) says the same on every retry: dead-letter
   * it at once (visible at GET /api/outbox, replayable) instead of retrying forever. 4xx replies and connection
   * failures are the server's passing trouble and stay retried.
   */
  private static boolean permanentlyRefused(Throwable e) {
    return e instanceof SMTPException smtp && smtp.isPermanent();
  }

  private static InboxRejection refused(String orderId, SMTPException e) {
    LOG.warn("order {}: the SMTP server refused the mail for good ({} {}); dead-lettered",
        orderId, e.getReplyCode(), e.getReplyMessage());
    return new InboxRejection(422, "mail_refused",
        "The SMTP server refused the mail with " + e.getReplyCode() + ": " + e.getReplyMessage());
  }

  static String dollars(long cents) {
    return String.format("$%d.%02d", cents / 100, cents % 100);
  }
}
