package io.slabtrack.tot.settle;

import io.slabtrack.cluster.mail.Mail;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.cluster.settlement.BuyerMails;
import io.slabtrack.tot.plays.PlayCommit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.Locale;

/**
 * The buyer's receipt with the private status link and the play's web page (reveal and in-browser verification).
 * Durable ({@link BuyerMails}): enqueued in the transaction that marks the order paid, sent by this app's consumer
 * after the commit, once per order; an SMTP outage delays it, never the sale.
 */
public final class Receipts {
  /** ToT-internal: the outbox of a ToT node to the ToT app. */
  static final String ADDRESS = "tot.orders.receipt";
  private final String publicUrl;
  private final BuyerMails mails;

  /** @param publicUrl where buyers reach ToT ({@code TOT_PUBLIC_URL}) */
  public Receipts(Mailer mailer, String publicUrl) {
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    this.mails = new BuyerMails(ADDRESS, mailer, this::render);
  }

  /** The consumer that sends them (one per node). */
  public Future<?> consume(Vertx vertx, Pool pool) {
    return mails.consume(vertx, pool);
  }

  Future<Void> enqueue(SqlConnection tx, Row order, long captured) {
    String orderId = order.getString("id");
    return mails.enqueue(tx, "receipt:thisorthat:" + orderId, "receipt:thisorthat:" + orderId, new JsonObject()
        .put("orderId", orderId).put("playId", order.getString("play_id")).put("email", order.getString("email"))
        .put("token", order.getString("status_token")).put("capturedCents", captured));
  }

  private Mail render(JsonObject m) {
    String orderId = m.getString("orderId");
    long captured = m.getLong("capturedCents");
    // the order page (the buyer reads words, not JSON); the token is URL-safe as issued
    String link = publicUrl + "/orders/" + orderId + "?token=" + m.getString("token");
    String text = "Thanks for playing ThisOrThat!\n\nOrder " + orderId + " (play " + m.getString("playId")
        + ")\nCharged: $" + String.format(Locale.ROOT, "%d.%02d", captured / 100, captured % 100)
        + "\nCheck its status any time: " + link
        + "\nSee the reveal and verify the outcome yourself: " + publicUrl
        + PlayCommit.PLAY_PAGE + m.getString("playId") + "\n";
    return new Mail(m.getString("email"), "Your ThisOrThat receipt — order " + orderId, text);
  }
}
