package io.slabtrack.cluster.settlement;

import io.slabtrack.cluster.mail.Mail;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.SMTPException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mail to a buyer, durable: enqueued in the transaction that changes the order (it exists if and only if the change
 * committed), and sent by the app's own consumer of {@code address} through the inbox (once per mail), with the SMTP
 * call before the inbox's transaction, so no connection or row lock is held over SMTP and a slow server never holds
 * up settlement. The mail is rendered when sent, from the fields enqueued.
 */
public final class BuyerMails {
  private static final Logger LOG = LoggerFactory.getLogger(BuyerMails.class);
  private final String address;
  private final Mailer mailer;
  private final Function<JsonObject, Mail> render;

  /**
   * @param address this app's own address for these mails (e.g. {@code tot.orders.receipt})
   * @param render  the mail from the enqueued fields
   */
  public BuyerMails(String address, Mailer mailer, Function<JsonObject, Mail> render) {
    this.address = address;
    this.mailer = mailer;
    this.render = render;
  }

  public String address() {
    return address;
  }

  /**
   * @param aggregate the mail's own outbox aggregate, not the order's: the order's ledger events must not wait
   *                  behind a mail an SMTP outage keeps retrying
   * @param onceKey   names the mail (e.g. {@code receipt:<order>}): enqueued twice, it is one mail
   * @param fields    what {@code render} needs; {@code orderId} names the order in logs
   */
  public Future<Void> enqueue(SqlConnection tx, String aggregate, String onceKey, JsonObject fields) {
    return Outbox.enqueue(tx, OutboxMessage.of(address, aggregate, fields.copy().put("eventId",
        UUID.nameUUIDFromBytes(onceKey.getBytes(StandardCharsets.UTF_8)).toString())));
  }

  /** The consumer (deploy once per node): the mail is sent before the inbox records it. */
  public Future<?> consume(Vertx vertx, Pool pool) {
    return Inbox.consume(vertx, pool, address, this::send, (tx, sent) -> Future.succeededFuture(sent));
  }

  /** Renders and sends one enqueued mail (a redelivery racing the first may send it twice; an answered one not). */
  public Future<JsonObject> send(JsonObject fields) {
    return deliver(mailer, fields.getString("orderId"), render.apply(fields));
  }

  /**
   * The one rule for a buyer mail's outcome. A node without SMTP_HOST (node mode) can never send, so retrying would
   * only pile up rows: rejected for good (409, dead-lettered, listed at GET /api/outbox, replayable there once SMTP is
   * configured). A 5xx SMTP reply says the same on every retry: dead-lettered at once (422). A 4xx reply or a
   * connection failure is the server's passing trouble: a plain failure, which the relay retries.
   */
  public static Future<JsonObject> deliver(Mailer mailer, String orderId, Mail mail) {
    if (!mailer.canSend()) {
      LOG.warn("order {}: mail not sent: SMTP_HOST is not set on this node, so it is dead-lettered; "
          + "replay it at POST /api/outbox/{id}/replay once SMTP is configured", orderId);
      return Future.failedFuture(new InboxRejection(409, "mail_not_configured",
          "Mail is not configured on this node (no SMTP_HOST); replay this message once it is"));
    }
    return mailer.send(mail).map(new JsonObject().put("sent", true))
        .recover(e -> Future.failedFuture(e instanceof SMTPException smtp && smtp.isPermanent()
            ? refused(orderId, smtp) : e));
  }

  private static InboxRejection refused(String orderId, SMTPException e) {
    LOG.warn("order {}: the SMTP server refused the mail for good ({} {}); dead-lettered",
        orderId, e.getReplyCode(), e.getReplyMessage());
    return new InboxRejection(422, "mail_refused",
        "The SMTP server refused the mail with " + e.getReplyCode() + ": " + e.getReplyMessage());
  }
}
