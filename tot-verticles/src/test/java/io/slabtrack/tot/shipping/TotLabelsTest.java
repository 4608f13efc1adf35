package io.slabtrack.tot.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.slabtrack.cluster.shipping.ShippoSettings;
import io.slabtrack.cluster.shipping.ShippoSimFixture;
import jakarta.mail.MessagingException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import io.slabtrack.tot.PaidPlays;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ToT labels (operator) against the Shippo simulator: the global ship-from, once-only purchase, bulk print. */
class TotLabelsTest {
  private static ShippoSimFixture shippo;
  private static GreenMail smtp;
  private static PaidPlays plays;

  @BeforeAll
  static void start() throws Exception {
    shippo = new ShippoSimFixture();
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    Map<String, String> env = new HashMap<>(shippo.env());
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()));
    plays = new PaidPlays(7_700_000, env, true);
    shippo.webhook(plays.tot.node.url(AppName.TOT, "/api/shipping/webhook?token=" + ShippoSettings.DEV_WEBHOOK_TOKEN));
  }

  @AfterAll
  static void stop() throws Exception {
    plays.close();
    shippo.close();
    smtp.stop();
  }

  @Test
  void trackingDeliversOnceInOrderAndMailsTheBuyerOnceEach() throws Exception {
    String orderId = plays.paidFlip(2_500);
    TotFixture.Resp r = label("POST", orderId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String tracking = r.json().getString("trackingNumber");
    Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    scan(tracking, "TRANSIT", "out_for_delivery", t0);
    scan(tracking, "DELIVERED", null, t0.plus(1, ChronoUnit.HOURS));
    shippo.resend(tracking);
    scan(tracking, "TRANSIT", null, t0.minus(1, ChronoUnit.HOURS));
    var row = plays.tot.sql("SELECT status, delivered_at FROM orders WHERE id = $1", orderId).iterator().next();
    assertThat(row.getString("status")).isEqualTo("delivered");
    assertThat(row.getOffsetDateTime("delivered_at").toInstant()).isEqualTo(t0.plus(1, ChronoUnit.HOURS));
    PaidPlays.await("ledger delivered", () -> ledger(orderId, "delivered") == 1);
    PaidPlays.await("three mails", () -> mails(orderId) == 3);
    Thread.sleep(500);
    assertThat(ledger(orderId, "out_for_delivery")).isEqualTo(1);
    assertThat(ledger(orderId, "delivered")).isEqualTo(1);
    assertThat(mails(orderId)).as("shipped, out for delivery, delivered").isEqualTo(3);
  }

  private static void scan(String tracking, String status, String substatus, Instant at) {
    JsonObject body = new JsonObject().put("status", status).put("statusDate", at.toString());
    if (substatus != null) {
      body.put("substatus", substatus);
    }
    assertThat(shippo.scan(tracking, body).getJsonArray("delivered").getInteger(0)).isEqualTo(200);
  }

  private static long ledger(String orderId, String state) {
    return plays.ledger.stream().filter(e -> orderId.equals(e.getString("orderRef"))
        && state.equals(e.getString("state"))).count();
  }

  private static long mails(String orderId) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return m.getSubject().contains("ThisOrThat order") && !m.getSubject().contains("receipt")
            && GreenMailUtil.getBody(m).contains(orderId);
      } catch (MessagingException e) {
        throw new AssertionError(e);
      }
    }).count();
  }

  @Test
  void anOperatorBuysOneLabelFromTheGlobalAddressAndTheOrderShips() throws Exception {
    String orderId = plays.paidFlip(3_000);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Future<TotFixture.Resp>> clicks = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        clicks.add(pool.submit((Callable<TotFixture.Resp>) () -> label("POST", orderId)));
      }
      List<String> seen = new ArrayList<>();
      for (Future<TotFixture.Resp> f : clicks) {
        TotFixture.Resp r = f.get();
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        seen.add(r.json().getString("trackingNumber"));
        assertThat(r.json().getJsonObject("shipFrom").getString("name")).isEqualTo("SlabTrack HQ");
      }
      assertThat(seen.stream().distinct()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(shippo.transactions("thisorthat:" + orderId)).hasSize(1);
    var row = plays.tot.sql("SELECT status, carrier, tracking_number FROM orders WHERE id = $1", orderId)
        .iterator().next();
    assertThat(row.getString("status")).isEqualTo("shipped");
    assertThat(row.getString("carrier")).isEqualTo("USPS");
    PaidPlays.await("ledger shipped", () -> plays.ledger.stream().anyMatch(e ->
        orderId.equals(e.getString("orderRef")) && "shipped".equals(e.getString("state"))));

    TotFixture.Resp anyone = plays.tot.call("POST", "/api/admin/orders/" + orderId + "/label", null, null);
    assertThat(anyone.status()).isEqualTo(401);
    TotFixture.Resp refund = label("DELETE", orderId);
    assertThat(refund.status()).as(refund.body()).isEqualTo(200);
    assertThat(plays.tot.sql("SELECT status FROM orders WHERE id = $1", orderId).iterator().next().getString(0))
        .isEqualTo("paid");
  }

  @Test
  void bulkPrintListsWhatCannotBePrinted() throws Exception {
    String a = plays.paidFlip(2_000);
    String b = plays.paidFlip(2_000);
    TotFixture.Resp r = plays.tot.call("POST", "/api/admin/labels/batches", new JsonObject().put("orderIds",
        new JsonArray().add(a).add("no-such-order").add(b)), plays.tot.operator);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().getInteger("pages")).isEqualTo(2);
    assertThat(r.json().getJsonArray("failures").getJsonObject(0).getString("orderId")).isEqualTo("no-such-order");
    assertThat(r.json().getJsonArray("failures").getJsonObject(0).getString("error")).isEqualTo("not_found");
    HttpResponse<byte[]> pdf = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(
            plays.tot.node.url(AppName.TOT, r.json().getString("pdfUrl"))))
        .header("Authorization", "Bearer " + plays.tot.operator).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(pdf.statusCode()).isEqualTo(200);
    try (PDDocument doc = Loader.loadPDF(pdf.body())) {
      assertThat(doc.getNumberOfPages()).isEqualTo(2);
      assertThat(new PDFTextStripper().getText(doc)).contains("SlabTrack HQ");
    }
  }

  private static TotFixture.Resp label(String method, String orderId) throws Exception {
    return plays.tot.call(method, "/api/admin/orders/" + orderId + "/label", null, plays.tot.operator);
  }
}
