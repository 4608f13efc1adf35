package io.slabtrack.cluster.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentCreateParams;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own pool against a slow simulator: calls beyond its threads and queue are refused at once with 503
 * {@code payments_busy} (Retry-After), without reaching Stripe; a call with no answer in time fails with 503
 * {@code payment_provider_timeout}; and many slow calls run side by side instead of queueing on a few threads.
 */
class StripeGatewayBackPressureTest {
  private StripeSimFixture sim;

  @BeforeEach
  void start() {
    sim = new StripeSimFixture(AppName.TOT);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private StripeGateway gateway(int threads, int queue, long timeoutMs) {
    StripeSettings settings = StripeSettings.forSimulator(sim.simulator.baseUrl())
        .withCalls(new StripeSettings.CallLimits(threads, queue, timeoutMs));
    return new StripeGateway(sim.vertx, settings, AppName.TOT);
  }

  private static PaymentIntentCreateParams intent() {
    return PaymentIntentCreateParams.builder().setAmount(1_000L).setCurrency("usd")
        .setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL).build();
  }

  private int paymentIntentsAtStripe() {
    return sim.http.getAbs(sim.simulator.baseUrl() + "/v1/events?limit=100&type=payment_intent.created")
        .bearerTokenAuthentication(StripeSettings.SIMULATOR_KEY).send().await().bodyAsJsonObject()
        .getJsonArray("data").size();
  }

  @Test
  void beyondThreadsAndQueueACallIsRefusedAtOnceAndReachesNothing() throws Exception {
    sim.control("/_sim/latency", new JsonObject().put("ms", 600));
    StripeGateway gateway = gateway(2, 2, 10_000);
    List<Future<PaymentIntent>> accepted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      accepted.add(gateway.createPaymentIntent(intent(), "tot-bp-" + i));
    }
    assertThat(gateway.saturated()).isTrue();
    Future<PaymentIntent> refused = gateway.createPaymentIntent(intent(), "tot-bp-refused");
    assertThat(refused.failed()).as("refused at once (already failed when returned), not queued").isTrue();
    ApiException busy = (ApiException) refused.cause();
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.code()).isEqualTo("payments_busy");
    assertThat(busy.details().getInteger("retryAfterSeconds")).isPositive();

    for (Future<PaymentIntent> f : accepted) {
      assertThat(f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).getId()).startsWith("pi_");
    }
    assertThat(gateway.saturated()).isFalse();
    assertThat(paymentIntentsAtStripe()).as("only the accepted calls reached Stripe").isEqualTo(4);
  }

  @Test
  void aCallWithNoAnswerInTimeFailsWith503Timeout() throws Exception {
    sim.control("/_sim/latency", new JsonObject().put("ms", 1_500));
    StripeGateway gateway = gateway(4, 4, 300);
    Future<PaymentIntent> slow = gateway.createPaymentIntent(intent(), "tot-timeout-1");
    Throwable failure = slow.toCompletionStage().toCompletableFuture().handle((ok, t) -> t).get(5, TimeUnit.SECONDS);
    ApiException timeout = (ApiException) (failure instanceof java.util.concurrent.CompletionException c
        ? c.getCause() : failure);
    assertThat(timeout.status()).isEqualTo(503);
    assertThat(timeout.code()).isEqualTo("payment_provider_timeout");
  }

  @Test
  void slowCallsRunSideBySide() throws Exception {
    // a Stripe that holds every request 1.5 s and counts how many it holds at once: a figure no machine load fakes
    java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
    io.vertx.core.http.HttpServer slowStripe = sim.vertx.createHttpServer().requestHandler(req -> {
      most.accumulateAndGet(open.incrementAndGet(), Math::max);
      sim.vertx.setTimer(1_500, t -> {
        open.decrementAndGet();
        req.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("id", "pi_slow").put("object", "payment_intent").encode());
      });
    }).listen(0, "127.0.0.1").await();
    StripeSettings settings = StripeSettings.forSimulator("http://127.0.0.1:" + slowStripe.actualPort())
        .withCalls(new StripeSettings.CallLimits(64, 64, 30_000));
    StripeGateway gateway = new StripeGateway(sim.vertx, settings, AppName.TOT);
    List<Future<PaymentIntent>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(gateway.createPaymentIntent(intent(), "tot-parallel-" + i));
    }
    for (Future<PaymentIntent> f : calls) {
      assertThat(f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS).getId()).isEqualTo("pi_slow");
    }
    // on Vert.x's shared worker pool (20 threads) at most 20 would ever wait on Stripe together
    assertThat(most.get()).isGreaterThan(20);
    slowStripe.close().await();
  }
}
