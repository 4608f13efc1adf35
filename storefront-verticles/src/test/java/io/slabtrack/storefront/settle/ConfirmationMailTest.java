package io.slabtrack.storefront.settle;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.slabtrack.storefront.PayingShop;
import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The confirmation mail's outcomes without a working SMTP server: node mode without SMTP_HOST can never send, so the
 * mail is dead-lettered after one attempt (visible at GET /api/outbox); a configured server that is down is retried
 * until it is back.
 */
class ConfirmationMailTest {

  @Test
  void nodeModeWithoutSmtpDeadLettersTheMailAfterOneAttempt() throws Exception {
    try (PayingShop shop = new PayingShop(true, Map.of())) {
      String orderId = paidOrder(shop);
      StorefrontFixture.await("confirmation dead-lettered", PayingShop.WAIT,
          () -> "dead".equals(confirmation(shop, orderId).getString("status")));
      Thread.sleep(1_500); // several relay polls and backoff periods: the assertion is that nothing is retried
      Row row = confirmation(shop, orderId);
      assertThat(row.getString("status")).isEqualTo("dead");
      assertThat(row.getInteger("attempts")).isEqualTo(1);
      assertThat(row.getString("last_error")).contains("409").contains("mail_not_configured");

      Resp dead = shop.sf.call("GET", "/api/outbox?status=dead", null, shop.sf.operator);
      assertThat(dead.status()).as(dead.toString()).isEqualTo(200);
      assertThat(dead.json().getJsonArray("rows").stream().map(JsonObject.class::cast))
          .anyMatch(r -> Confirmations.ADDRESS.equals(r.getString("address"))
              && orderId.equals(r.getJsonObject("payload").getString("orderId")));
      assertThat(shop.get(orderId).getString("state")).as("settlement is not held up").isEqualTo("paid");
    }
  }

  @Test
  void aConfiguredSmtpServerThatIsDownIsRetriedUntilItIsBack() throws Exception {
    int port = freePort(); // nobody listens there yet: "the SMTP server is down"
    try (PayingShop shop = new PayingShop(false, Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", String.valueOf(port),
        "SMTP_FROM", "Storefront <orders@slabtrack.test>", "STOREFRONT_PUBLIC_URL", "https://shop.example"))) {
      String orderId = paidOrder(shop);
      StorefrontFixture.await("confirmation retried", PayingShop.WAIT,
          () -> confirmation(shop, orderId).getInteger("attempts") >= 2);
      assertThat(confirmation(shop, orderId).getString("status")).isEqualTo("pending");
      // a mail outage must not hold the order's later ledger events back from core
      Resp shipped = shop.call("POST", "/api/storefronts/" + PayingShop.SLUG + "/orders/" + orderId + "/ship",
          new JsonObject().put("carrier", "USPS").put("trackingNumber", "9400"));
      assertThat(shipped.status()).as(shipped.toString()).isEqualTo(200);
      StorefrontFixture.await("ledger shipped while the mail waits", PayingShop.WAIT,
          () -> shop.ledgerFor(orderId, "shipped").size() == 1);
      assertThat(confirmation(shop, orderId).getString("status")).isEqualTo("pending");

      GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.port(port));
      smtp.start();
      try {
        StorefrontFixture.await("confirmation delivered", PayingShop.WAIT,
            () -> "delivered".equals(confirmation(shop, orderId).getString("status")));
        // the confirmation once (the order's shipped mail, sent too, has its own subject)
        var confirmations = java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
          try {
            return m.getSubject().equals("Your SlabTrack order " + orderId);
          } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
          }
        }).toList();
        assertThat(confirmations).hasSize(1);
        String token = shop.sf.sql("SELECT buyer_token FROM orders WHERE id = $1", orderId).iterator().next()
            .getString(0);
        assertThat(GreenMailUtil.getBody(confirmations.get(0)))
            .contains("https://shop.example/api/orders/" + orderId + "?token=" + token);
      } finally {
        smtp.stop();
      }
    }
  }

  @Test
  void anSmtpServerThatRefusesTheMailForGoodDeadLettersItAfterOneAttempt() throws Exception {
    try (RefusingSmtp smtp = new RefusingSmtp();
         PayingShop shop = new PayingShop(false, Map.of("SMTP_HOST", "127.0.0.1",
             "SMTP_PORT", String.valueOf(smtp.port()), "SMTP_FROM", "Storefront <orders@slabtrack.test>"))) {
      String orderId = paidOrder(shop);
      StorefrontFixture.await("confirmation dead-lettered", PayingShop.WAIT,
          () -> "dead".equals(confirmation(shop, orderId).getString("status")));
      Row row = confirmation(shop, orderId);
      assertThat(row.getInteger("attempts")).isEqualTo(1);
      assertThat(row.getString("last_error")).contains("422").contains("mail_refused").contains("550");
      Resp dead = shop.sf.call("GET", "/api/outbox?status=dead", null, shop.sf.operator);
      assertThat(dead.json().getJsonArray("rows").stream().map(JsonObject.class::cast))
          .anyMatch(r -> orderId.equals(r.getJsonObject("payload").getString("orderId")));
      assertThat(shop.get(orderId).getString("state")).isEqualTo("paid");
    }
  }

  /** An SMTP server that answers every recipient with 550 (no such mailbox): a permanent refusal. */
  private static final class RefusingSmtp implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    private final Thread acceptor = new Thread(this::serve, "refusing-smtp");

    RefusingSmtp() throws java.io.IOException {
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve() {
      while (!server.isClosed()) {
        try (java.net.Socket s = server.accept();
             var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                 java.nio.charset.StandardCharsets.US_ASCII));
             var out = new java.io.PrintWriter(new java.io.OutputStreamWriter(s.getOutputStream(),
                 java.nio.charset.StandardCharsets.US_ASCII), true)) {
          out.print("220 refusing.test ESMTP\r\n");
          out.flush();
          for (String line; (line = in.readLine()) != null; ) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
            String answer = switch (verb) {
              case "RCPT" -> "550 5.1.1 no such mailbox";
              case "QUIT" -> "221 bye";
              default -> "250 ok";
            };
            out.print(answer + "\r\n");
            out.flush();
            if (verb.equals("QUIT")) {
              break;
            }
          }
        } catch (java.io.IOException e) {
          // closed by the test, or the client hung up: next connection
        }
      }
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
    }
  }

  private static String paidOrder(PayingShop shop) throws Exception {
    String orderId = shop.order(shop.card(2_000));
    shop.pay(orderId);
    shop.awaitState(orderId, "paid");
    return orderId;
  }

  /** The order's confirmation row in the outbox. */
  private static Row confirmation(PayingShop shop, String orderId) {
    try {
      var rows = shop.sf.sql("SELECT status, attempts, last_error FROM outbox WHERE address = $1 "
          + "AND payload->>'orderId' = $2", Confirmations.ADDRESS, orderId);
      assertThat(rows.size()).isEqualTo(1);
      return rows.iterator().next();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
