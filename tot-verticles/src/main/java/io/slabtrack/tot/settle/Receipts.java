package io.slabtrack.tot.settle;

import io.slabtrack.cluster.mail.Mail;
import io.slabtrack.cluster.mail.Mailer;
import io.vertx.sqlclient.Row;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buyer's receipt with the private status link and the play's web page (reveal and in-browser verification). Best effort: a mail that fails is logged, never a reason to
 * undo a paid order (the link also works from the play page's order id and token).
 */
public final class Receipts {
  private static final Logger LOG = LoggerFactory.getLogger(Receipts.class);
  private final Mailer mailer;
  private final String publicUrl;

  /** @param publicUrl where buyers reach ToT ({@code TOT_PUBLIC_URL}) */
  public Receipts(Mailer mailer, String publicUrl) {
    this.mailer = mailer;
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  void send(Row order, long captured) {
    String orderId = order.getString("id");
    // the order page (the buyer reads words, not JSON); the token is URL-safe as issued
    String link = publicUrl + "/orders/" + orderId + "?token=" + order.getString("status_token");
    String text = "Thanks for playing ThisOrThat!\n\nOrder " + orderId + " (play " + order.getString("play_id")
        + ")\nCharged: $" + String.format(Locale.ROOT, "%d.%02d", captured / 100, captured % 100)
        + "\nCheck its status any time: " + link
        + "\nSee the reveal and verify the outcome yourself: " + publicUrl
        + io.slabtrack.tot.plays.PlayCommit.PLAY_PAGE + order.getString("play_id") + "\n";
    mailer.send(new Mail(order.getString("email"), "Your ThisOrThat receipt — order " + orderId, text))
        .onFailure(e -> LOG.warn("receipt not sent orderId={}: {}", orderId, e.toString()));
  }
}
