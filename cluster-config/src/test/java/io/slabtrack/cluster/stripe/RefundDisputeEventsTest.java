package io.slabtrack.cluster.stripe;

import static io.slabtrack.cluster.stripe.StripeSimFixture.object;
import static io.slabtrack.cluster.stripe.StripeSimFixture.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.model.Account;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.EventListParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** After the money moved: refunds (partial, full, too much), disputes, and reading the event log back. */
class RefundDisputeEventsTest {
  private static StripeSimFixture sim;
  private static String shopAccount;

  @BeforeAll
  static void start() {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    Account account = sim.gateway.createAccount(AccountCreateParams.builder().setType(AccountCreateParams.Type.EXPRESS)
        .build(), "storefront-account-refunds").await();
    String link = sim.gateway.createAccountLink(com.stripe.param.AccountLinkCreateParams.builder()
        .setAccount(account.getId()).setType(com.stripe.param.AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING)
        .setRefreshUrl("http://x/r").setReturnUrl("http://x/ok").build(), "storefront-link-refunds").await().getUrl();
    sim.http.getAbs(link).followRedirects(false).send().await();
    shopAccount = account.getId();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  /** A captured $100 destination charge. */
  private static PaymentIntent captured(String orderId) {
    PaymentIntent pi = sim.gateway.createPaymentIntent(PaymentIntentCreateParams.builder().setAmount(10_000L)
        .setCurrency("usd").setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL)
        .setApplicationFeeAmount(620L)
        .setTransferData(PaymentIntentCreateParams.TransferData.builder().setDestination(shopAccount).build())
        .putMetadata("orderId", orderId).build(), "storefront-pi-" + orderId).await();
    sim.control("/_sim/payment_intents/" + pi.getId() + "/authorize", null);
    return sim.gateway.capturePaymentIntent(pi.getId(), null, "storefront-capture-" + orderId).await();
  }

  private static RefundCreateParams refund(String piId, Long amount) {
    RefundCreateParams.Builder b = RefundCreateParams.builder().setPaymentIntent(piId).setReverseTransfer(true)
        .setRefundApplicationFee(true);
    if (amount != null) {
      b.setAmount(amount);
    }
    return b.build();
  }

  @Test
  void partialThenFullRefundAndNothingMore() {
    PaymentIntent pi = captured("o-refund");
    Refund part = sim.gateway.createRefund(refund(pi.getId(), 2_500L), "storefront-refund-o-refund-1").await();
    assertThat(part.getId()).startsWith("re_");
    assertThat(part.getAmount()).isEqualTo(2_500);
    assertThat(part.getTransferReversal()).startsWith("trr_");
    // the same click again: one refund
    assertThat(sim.gateway.createRefund(refund(pi.getId(), 2_500L), "storefront-refund-o-refund-1").await().getId())
        .isEqualTo(part.getId());

    assertThatThrownBy(() -> sim.gateway.createRefund(refund(pi.getId(), 7_501L), "storefront-refund-o-refund-2")
        .await()).isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.details().getString("stripeCode")).isEqualTo("amount_too_large");
        });
    Refund rest = sim.gateway.createRefund(refund(pi.getId(), null), "storefront-refund-o-refund-3").await();
    assertThat(rest.getAmount()).isEqualTo(7_500);
    assertThatThrownBy(() -> sim.gateway.createRefund(refund(pi.getId(), 1L), "storefront-refund-o-refund-4").await())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));

    List<JsonObject> refunded = sim.awaitPlatform(type("charge.refunded")
        .and(e -> pi.getId().equals(object(e).getString("payment_intent"))), 2);
    assertThat(refunded).extracting(e -> object(e).getLong("amount_refunded")).containsExactly(2_500L, 10_000L);
    assertThat(refunded).extracting(e -> object(e).getBoolean("refunded")).containsExactly(false, true);
  }

  @Test
  void aDisputeOpensWithADeadlineAndCloses() {
    PaymentIntent pi = captured("o-dispute");
    JsonObject dispute = sim.control("/_sim/disputes", new JsonObject().put("payment_intent", pi.getId()))
        .bodyAsJsonObject();
    assertThat(dispute.getString("id")).startsWith("du_");
    JsonObject created = sim.awaitPlatform(type("charge.dispute.created")
        .and(e -> dispute.getString("id").equals(object(e).getString("id"))), 1).get(0);
    long dueBy = object(created).getJsonObject("evidence_details").getLong("due_by");
    assertThat(dueBy).isBetween(Instant.now().getEpochSecond() + 6 * 86_400, Instant.now().getEpochSecond() + 8 * 86_400);
    assertThat(object(created).getString("payment_intent")).isEqualTo(pi.getId());

    sim.control("/_sim/disputes/" + dispute.getString("id") + "/close", new JsonObject().put("status", "lost"));
    JsonObject closed = sim.awaitPlatform(type("charge.dispute.closed")
        .and(e -> dispute.getString("id").equals(object(e).getString("id"))), 1).get(0);
    assertThat(object(closed).getString("status")).isEqualTo("lost");
    assertThat(sim.control("/_sim/disputes/" + dispute.getString("id") + "/close",
        new JsonObject().put("status", "won")).statusCode()).isEqualTo(400);
  }

  @Test
  void eventsPageNewestFirstAndFilterByTypeAndTime() {
    long since = sim.control("/_sim/clock/advance", new JsonObject().put("seconds", 0)).bodyAsJsonObject()
        .getLong("now");
    String tag = UUID.randomUUID().toString();
    for (int i = 0; i < 3; i++) {
      captured(tag + "-" + i);
    }
    List<String> ids = new ArrayList<>();
    String after = null;
    int pages = 0;
    while (true) {
      EventListParams.Builder params = EventListParams.builder().setType("payment_intent.succeeded").setLimit(2L)
          .setCreated(EventListParams.Created.builder().setGte(since).build());
      if (after != null) {
        params.setStartingAfter(after);
      }
      JsonObject page = sim.gateway.listEvents(params.build()).await();
      JsonArray data = page.getJsonArray("data");
      pages++;
      data.forEach(e -> ids.add(object((JsonObject) e).getJsonObject("metadata").getString("orderId")));
      if (!page.getBoolean("has_more")) {
        break;
      }
      after = data.getJsonObject(data.size() - 1).getString("id");
    }
    List<String> ours = ids.stream().filter(id -> id.startsWith(tag)).toList();
    assertThat(ours).containsExactly(tag + "-2", tag + "-1", tag + "-0");
    assertThat(pages).isGreaterThanOrEqualTo(2);
  }

  @Test
  void eventsOlderThanThirtyDaysAreGone() {
    captured("o-old");
    JsonObject before = sim.gateway.listEvents(EventListParams.builder().setLimit(100L).build()).await();
    assertThat(before.getJsonArray("data")).isNotEmpty();
    sim.control("/_sim/clock/advance", new JsonObject().put("seconds", 31 * 86_400));
    try {
      JsonObject after = sim.gateway.listEvents(EventListParams.builder().setLimit(100L).build()).await();
      assertThat(after.getJsonArray("data")).isEmpty();
    } finally {
      sim.control("/_sim/clock/advance", new JsonObject().put("seconds", -31 * 86_400));
    }
  }
}
