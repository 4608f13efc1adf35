package io.slabtrack.storefront.settle;

import io.slabtrack.storefront.orders.Order;
import io.slabtrack.cluster.mail.Mail;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.cluster.settlement.BuyerMails;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buyer's confirmation mail, with the private status link. Durable ({@link BuyerMails}): enqueued in the
 * transaction that marks the order paid and sent by this app's own consumer ({@link #ADDRESS}, through the inbox:
 * once per order), so a slow or failing SMTP server never holds up settlement.
 */
public final class Confirmations {
  /** Storefront-internal: the outbox of a Storefront node to the Storefront app. */
  public static final String ADDRESS = "storefront.orders.confirm";
  private static final Logger LOG = LoggerFactory.getLogger(Confirmations.class);

  private final Mailer mailer;
  private final String publicUrl;
  private final BuyerMails mails;

  public Confirmations(Mailer mailer, String publicUrl) {
    this.mailer = mailer;
    this.publicUrl = publicUrl;
    this.mails = new BuyerMails(ADDRESS, mailer, this::render);
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
    return mails.enqueue(tx, "confirm:storefront:" + order.id(), "confirm:" + order.id(), new JsonObject()
        .put("orderId", order.id()).put("email", order.email()).put("token", order.buyerToken())
        .put("shop", order.shop()).put("amountCents", order.amountCents()));
  }

  /** The consumer that sends them (one per node). */
  public Future<?> consume(Vertx vertx, Pool pool) {
    return mails.consume(vertx, pool);
  }

  /** Sends one enqueued confirmation (outcomes as {@link BuyerMails#deliver}). */
  Future<JsonObject> send(JsonObject m) {
    return mails.send(m);
  }

  private Mail render(JsonObject m) {
    String text = "Thank you for your order from " + m.getString("shop") + ".\n\n"
        + "Order " + m.getString("orderId") + ": " + dollars(m.getLong("amountCents")) + " paid.\n"
        + "Follow your order here: " + statusLink(m) + "\n";
    return new Mail(m.getString("email"), "Your SlabTrack order " + m.getString("orderId"), text);
  }

  /** Where people reach the Storefront ({@code STOREFRONT_PUBLIC_URL}). */
  public String publicUrl() {
    return publicUrl;
  }

  /** The buyer's private status link of an order mail's body. */
  public String statusLink(JsonObject m) {
    return publicUrl + "/api/orders/" + m.getString("orderId") + "?token=" + m.getString("token");
  }

  /** Sends one order mail with the outcomes described at {@link BuyerMails#deliver} (shared by the shipping mails). */
  public Future<JsonObject> deliver(String orderId, Mail mail) {
    return BuyerMails.deliver(mailer, orderId, mail);
  }

  public static String dollars(long cents) {
    return String.format("$%d.%02d", cents / 100, cents % 100);
  }
}
