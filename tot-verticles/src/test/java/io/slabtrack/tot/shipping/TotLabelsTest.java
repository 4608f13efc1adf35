package io.slabtrack.tot.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.shipping.ShippoSimFixture;
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
  private static PaidPlays plays;

  @BeforeAll
  static void start() throws Exception {
    shippo = new ShippoSimFixture();
    plays = new PaidPlays(7_700_000, shippo.env(), true);
  }

  @AfterAll
  static void stop() throws Exception {
    plays.close();
    shippo.close();
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
    HttpResponse<byte[]> pdf = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
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
