package io.slabtrack.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentCreateParams;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.slabtrack.storefront.StorefrontApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Money Stripe captured for the Storefront with no order behind it (captured from the dashboard, or an order row
 * lost): the reconciler lists Stripe's captures through the API and reports a money_mismatch, and heal mode leaves the
 * money alone. Its own node and simulator: the capture stays in Stripe's 30-day window for the rest of the run.
 */
class CaptureWithoutOrderTest {
  private static StripeSimFixture sim;
  private static CoreFixture core;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    core = CoreFixture.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl(), "RECONCILE_INTERVAL_MINUTES", "0"),
        new StorefrontApp());
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", core.node.url(AppName.STOREFRONT, "/api/stripe/webhook"))
        .put("secret", StripeSettings.DEV_STOREFRONT_WEBHOOK_SECRET).put("connect", false));
  }

  @AfterAll
  static void stop() throws Exception {
    core.close();
    sim.close();
  }

  private static JsonObject run(String mode) throws Exception {
    Resp started = core.post("/api/reconciler/runs", new JsonObject().put("mode", mode).put("graceSeconds", 0)
        .put("channel", "storefront"));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String id = started.json().getString("id");
    CoreFixture.await("run finished", Duration.ofSeconds(60), () -> {
      try {
        return !"running".equals(core.get("/api/reconciler/runs/" + id).json().getString("status"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    return core.get("/api/reconciler/runs/" + id).json();
  }

  @Test
  void aCaptureNoOrderAccountsForIsAMoneyMismatchLeftToAPerson() throws Exception {
    assertThat(run("report").getJsonObject("counts").getInteger("total")).isZero();
    String ref = UUID.randomUUID().toString();
    PaymentIntent pi = sim.gateway.createPaymentIntent(PaymentIntentCreateParams.builder().setAmount(7_700L)
        .setCurrency("usd").setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL)
        .putMetadata("app", "storefront").build(), "storefront-stray-" + ref).await(30, TimeUnit.SECONDS);
    sim.control("/_sim/payment_intents/" + pi.getId() + "/authorize", null);
    sim.gateway.capturePaymentIntent(pi.getId(), null, "storefront-stray-capture-" + ref).await(30, TimeUnit.SECONDS);

    JsonObject report = run("report");
    assertThat(report.getJsonObject("counts").getInteger("money_mismatch")).isEqualTo(1);
    assertThat(report.getJsonObject("counts").getInteger("total")).isEqualTo(1);
    JsonArray items = core.get("/api/reconciler/drift?runId=" + report.getString("id")).json().getJsonArray("items");
    JsonObject evidence = items.getJsonObject(0).getJsonObject("evidence");
    assertThat(evidence.getString("paymentIntentId")).isEqualTo(pi.getId());
    assertThat(evidence.getString("problem")).isEqualTo("capture_without_order");
    assertThat(evidence.getLong("amountCents")).isEqualTo(7_700L);
    assertThat(items.getJsonObject(0).getString("fix")).startsWith("none");

    JsonObject heal = run("heal");
    assertThat(heal.getInteger("healed")).isZero();
    assertThat(heal.getJsonObject("counts").getInteger("money_mismatch")).isEqualTo(1);
    assertThat(sim.gateway.retrievePaymentIntent(pi.getId()).await(30, TimeUnit.SECONDS).getStatus())
        .as("the money is left alone").isEqualTo("succeeded");
  }
}
