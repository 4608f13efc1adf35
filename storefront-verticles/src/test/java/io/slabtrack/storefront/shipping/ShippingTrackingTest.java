package io.slabtrack.storefront.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.shipping.ShippoSettings;
import io.slabtrack.cluster.shipping.ShippoSimFixture;
import io.slabtrack.storefront.PayingShop;
import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonObject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shippo's tracking events through the authenticated webhook: out for delivery and delivered move the order and
 * reach core's ledger and the buyer's mailbox (GreenMail) once each; replays and older events change nothing.
 */
class ShippingTrackingTest {
  private static ShippoSimFixture shippo;
  private static GreenMail smtp;
  private static PayingShop shop;
  private static String orders;

  @BeforeAll
  static void start() throws Exception {
    shippo = new ShippoSimFixture();
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    Map<String, String> env = new HashMap<>(shippo.env());
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()));
    env.put("SMTP_FROM", "Storefront <orders@slabtrack.test>");
    shop = new PayingShop(false, env);
    shippo.webhook(shop.sf.node.url(AppName.STOREFRONT, "/api/shipping/webhook?token="
        + ShippoSettings.DEV_WEBHOOK_TOKEN));
    orders = "/api/storefronts/" + PayingShop.SLUG + "/orders/";
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
    shippo.close();
    smtp.stop();
  }

  @Test
  void outForDeliveryThenDeliveredEachOnceWhateverIsReplayedOrLate() throws Exception {
    String orderId = paid();
    JsonObject label = label(orderId);
    String tracking = label.getString("trackingNumber");
    awaitMail(orderId, "has shipped", 1);
    assertThat(body(mails(orderId, "has shipped").get(0))).contains(tracking).contains(label.getString("trackingUrl"));

    Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    assertThat(scan(tracking, "TRANSIT", null, t0)).containsExactly(200);
    JsonObject ofd = new JsonObject().put("status", "TRANSIT").put("substatus", "out_for_delivery")
        .put("statusDate", t0.plus(2, ChronoUnit.HOURS).toString());
    assertThat(shippo.scan(tracking, ofd).getJsonArray("delivered").getInteger(0)).isEqualTo(200);
    assertThat(shippo.resend(tracking).getJsonArray("delivered").getInteger(0)).as("a replay").isEqualTo(200);
    StorefrontFixture.await("ledger out_for_delivery", PayingShop.WAIT,
        () -> shop.ledgerFor(orderId, "out_for_delivery").size() == 1);
    awaitMail(orderId, "out for delivery", 1);
    assertThat(shop.get(orderId).getString("state")).isEqualTo("shipped");

    Instant deliveredAt = t0.plus(3, ChronoUnit.HOURS);
    scan(tracking, "DELIVERED", null, deliveredAt);
    shippo.resend(tracking);
    // a late, older event: never moves the order back
    scan(tracking, "TRANSIT", "out_for_delivery", t0.plus(1, ChronoUnit.HOURS));
    scan(tracking, "TRANSIT", null, t0.plus(90, ChronoUnit.MINUTES));
    JsonObject order = shop.get(orderId);
    assertThat(order.getString("state")).isEqualTo("delivered");
    assertThat(order.getString("deliveredAt")).isEqualTo(deliveredAt.toString());
    StorefrontFixture.await("ledger delivered", PayingShop.WAIT, () -> shop.ledgerFor(orderId, "delivered").size() == 1);
    awaitMail(orderId, "was delivered", 1);
    Thread.sleep(1_000); // relays have run several times: the assertion is that nothing else comes
    assertThat(shop.ledgerFor(orderId, "delivered")).hasSize(1);
    assertThat(shop.ledgerFor(orderId, "out_for_delivery")).hasSize(1);
    assertThat(mails(orderId, "out for delivery")).hasSize(1);
    assertThat(mails(orderId, "was delivered")).hasSize(1);
    assertThat(mails(orderId, "has shipped")).hasSize(1);
    assertThat(shop.sf.count("SELECT count(*) FROM tracking_events WHERE tracking_number = $1", tracking))
        .as("each distinct event recorded once").isEqualTo(5);
  }

  @Test
  void deliveredBeforeOutForDeliverySkipsItAndAWrongTokenIsRefused() throws Exception {
    String orderId = paid();
    String tracking = label(orderId).getString("trackingNumber");
    Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    scan(tracking, "DELIVERED", null, t0);
    scan(tracking, "TRANSIT", "out_for_delivery", t0.minus(30, ChronoUnit.MINUTES));
    assertThat(shop.get(orderId).getString("state")).isEqualTo("delivered");
    StorefrontFixture.await("ledger delivered", PayingShop.WAIT, () -> shop.ledgerFor(orderId, "delivered").size() == 1);
    awaitMail(orderId, "was delivered", 1);
    Thread.sleep(500);
    assertThat(shop.ledgerFor(orderId, "out_for_delivery")).isEmpty();
    assertThat(mails(orderId, "out for delivery")).isEmpty();

    JsonObject event = new JsonObject().put("event", "track_updated").put("data", new JsonObject()
        .put("tracking_number", tracking).put("tracking_status", new JsonObject().put("status", "DELIVERED")
            .put("status_date", Instant.now().toString())));
    Resp wrong = shop.sf.call("POST", "/api/shipping/webhook?token=guessed-token-123", event, null);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(shop.sf.call("POST", "/api/shipping/webhook", event, null).status()).isEqualTo(401);
    Resp bad = shop.sf.call("POST", "/api/shipping/webhook?token=" + ShippoSettings.DEV_WEBHOOK_TOKEN,
        new JsonObject().put("event", "track_updated").put("data", new JsonObject()), null);
    assertThat(bad.status()).isEqualTo(400);
    Resp unknown = shop.sf.call("POST", "/api/shipping/webhook?token=" + ShippoSettings.DEV_WEBHOOK_TOKEN,
        new JsonObject().put("event", "track_updated").put("data", new JsonObject().put("tracking_number", "nope")
            .put("tracking_status", new JsonObject().put("status", "DELIVERED").put("status_date", t0.toString()))),
        null);
    assertThat(unknown.status()).as("another app's parcel").isEqualTo(200);
  }

  @Test
  void theShopsOwnerGetsOneNewOrderNoticeWhenAnOrderIsPaid() throws Exception {
    Resp bad = shop.call("PATCH", "/api/storefronts/" + PayingShop.SLUG, new JsonObject().put("orderMailTo", "nope"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.field()).isEqualTo("orderMailTo");
    Resp set = shop.call("PATCH", "/api/storefronts/" + PayingShop.SLUG,
        new JsonObject().put("orderMailTo", "ursula@shop.test"));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(set.json().getString("orderMailTo")).isEqualTo("ursula@shop.test");
    try {
      String orderId = paid();
      awaitMail(orderId, "to ship", 1);
      MimeMessage notice = mails(orderId, "to ship").get(0);
      assertThat(notice.getAllRecipients()[0].toString()).isEqualTo("ursula@shop.test");
      assertThat(body(notice)).contains("Bea Buyer").contains("$42.00").contains("/s/" + PayingShop.SLUG + "/manage");
      Thread.sleep(500);
      assertThat(mails(orderId, "to ship")).hasSize(1);
    } finally {
      shop.call("PATCH", "/api/storefronts/" + PayingShop.SLUG, new JsonObject().putNull("orderMailTo"));
    }
  }

  private static List<Integer> scan(String tracking, String status, String substatus, Instant at) {
    JsonObject body = new JsonObject().put("status", status).put("statusDate", at.toString());
    if (substatus != null) {
      body.put("substatus", substatus);
    }
    return shippo.scan(tracking, body).getJsonArray("delivered").stream().map(o -> (Integer) o).toList();
  }

  private static String paid() throws Exception {
    String orderId = shop.order(shop.card(4_200));
    shop.pay(orderId);
    shop.awaitState(orderId, "paid");
    return orderId;
  }

  private static JsonObject label(String orderId) {
    Resp r = shop.call("POST", orders + orderId + "/label", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static void awaitMail(String orderId, String subject, int count) throws InterruptedException {
    StorefrontFixture.await("mail '" + subject + "' for " + orderId, PayingShop.WAIT,
        () -> mails(orderId, subject).size() >= count);
  }

  /** The buyer's mails about this order whose subject contains {@code subject}. */
  private static List<MimeMessage> mails(String orderId, String subject) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return m.getSubject().contains(subject) && GreenMailUtil.getBody(m).contains(orderId);
      } catch (MessagingException e) {
        throw new AssertionError(e);
      }
    }).toList();
  }

  private static String body(MimeMessage m) {
    return GreenMailUtil.getBody(m);
  }
}
