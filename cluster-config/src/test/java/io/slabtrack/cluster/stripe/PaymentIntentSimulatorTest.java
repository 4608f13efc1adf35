package io.slabtrack.cluster.stripe;

import static io.slabtrack.cluster.stripe.StripeSimFixture.object;
import static io.slabtrack.cluster.stripe.StripeSimFixture.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentCaptureParams;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ToT's path: a direct PaymentIntent under manual capture, driven by the real stripe-java client. */
class PaymentIntentSimulatorTest {
  private static StripeSimFixture sim;

  @BeforeAll
  static void start() {
    sim = new StripeSimFixture(AppName.TOT);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static PaymentIntent authorizable(long amount, String playId) throws Exception {
    return sim.client.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
        .setAmount(amount).setCurrency("usd")
        .setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL)
        .putMetadata("playId", playId).build());
  }

  @Test
  void authorizeThenCaptureLessThanAuthorized() throws Exception {
    PaymentIntent pi = authorizable(12_500, "play-1");
    assertThat(pi.getId()).startsWith("pi_");
    assertThat(pi.getStatus()).isEqualTo("requires_payment_method");
    assertThat(pi.getClientSecret()).startsWith(pi.getId() + "_secret_");
    assertThat(pi.getMetadata()).containsEntry("playId", "play-1");

    pi = sim.client.v1().paymentIntents().confirm(pi.getId(),
        PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_visa").build());
    assertThat(pi.getStatus()).isEqualTo("requires_capture");
    assertThat(pi.getAmountCapturable()).isEqualTo(12_500);
    String piId = pi.getId();
    JsonObject capturable = sim.awaitPlatform(type("payment_intent.amount_capturable_updated")
        .and(e -> object(e).getString("id").equals(piId)), 1).get(0);
    assertThat(object(capturable).getJsonObject("metadata").getString("playId")).isEqualTo("play-1");

    pi = sim.client.v1().paymentIntents().capture(piId,
        PaymentIntentCaptureParams.builder().setAmountToCapture(7_500L).build());
    assertThat(pi.getStatus()).isEqualTo("succeeded");
    assertThat(pi.getAmountReceived()).isEqualTo(7_500);
    Charge charge = sim.client.v1().charges().retrieve(pi.getLatestCharge());
    assertThat(charge.getId()).startsWith("ch_");
    assertThat(charge.getAmountCaptured()).isEqualTo(7_500);
    assertThat(charge.getCaptured()).isTrue();
    sim.awaitPlatform(type("payment_intent.succeeded").and(e -> object(e).getString("id").equals(piId)), 1);
  }

  @Test
  void captureMoreThanAuthorizedIsRefused() throws Exception {
    PaymentIntent pi = authorizable(1_000, "play-2");
    sim.client.v1().paymentIntents().confirm(pi.getId(),
        PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_visa").build());
    assertThatThrownBy(() -> sim.client.v1().paymentIntents().capture(pi.getId(),
        PaymentIntentCaptureParams.builder().setAmountToCapture(1_001L).build()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("capturable");
  }

  @Test
  void declinedCardFailsThenARetrySucceeds() throws Exception {
    PaymentIntent pi = authorizable(2_000, "play-3");
    assertThatThrownBy(() -> sim.client.v1().paymentIntents().confirm(pi.getId(),
        PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_chargeDeclined").build()))
        .isInstanceOfSatisfying(CardException.class, e -> assertThat(e.getDeclineCode()).isEqualTo("generic_decline"));
    sim.awaitPlatform(type("payment_intent.payment_failed").and(e -> object(e).getString("id").equals(pi.getId())), 1);
    assertThat(sim.client.v1().paymentIntents().retrieve(pi.getId()).getStatus()).isEqualTo("requires_payment_method");

    PaymentIntent retried = sim.client.v1().paymentIntents().confirm(pi.getId(),
        PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_visa").build());
    assertThat(retried.getStatus()).isEqualTo("requires_capture");
  }

  @Test
  void canceledOrLapsedAuthorizationsCannotBeCaptured() throws Exception {
    PaymentIntent pi = authorizable(3_000, "play-4");
    sim.control("/_sim/payment_intents/" + pi.getId() + "/authorize", null);
    PaymentIntent canceled = sim.client.v1().paymentIntents().cancel(pi.getId());
    assertThat(canceled.getStatus()).isEqualTo("canceled");
    sim.awaitPlatform(type("payment_intent.canceled").and(e -> object(e).getString("id").equals(pi.getId())), 1);
    assertThatThrownBy(() -> sim.client.v1().paymentIntents().capture(pi.getId()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getCode()).isEqualTo("payment_intent_unexpected_state"));

    PaymentIntent lapsing = authorizable(3_000, "play-5");
    sim.control("/_sim/payment_intents/" + lapsing.getId() + "/authorize", null);
    assertThat(sim.control("/_sim/expire-authorization/" + lapsing.getId(), null).bodyAsJsonObject()
        .getString("cancellation_reason")).isEqualTo("expired");
    // through the gateway a state clash is a 409 for the app
    assertThatThrownBy(() -> sim.gateway.capturePaymentIntent(lapsing.getId(), null, "tot-capture-play-5").await())
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.code()).isEqualTo("payment_state_conflict");
        });
  }

  @Test
  void aSecondCaptureIsA400UnexpectedStateCarryingTheIntentAndCapturesReadsItBackAsPaid() throws Exception {
    PaymentIntent pi = authorizable(4_000, "play-6");
    sim.control("/_sim/payment_intents/" + pi.getId() + "/authorize", null);
    sim.client.v1().paymentIntents().capture(pi.getId(),
        PaymentIntentCaptureParams.builder().setAmountToCapture(2_500L).build());
    // as Stripe answers it: HTTP 400, payment_intent_unexpected_state, the PaymentIntent as it is now
    assertThatThrownBy(() -> sim.client.v1().paymentIntents().capture(pi.getId()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(400);
          assertThat(e.getCode()).isEqualTo("payment_intent_unexpected_state");
          assertThat(e.getStripeError().getPaymentIntent().getStatus()).isEqualTo("succeeded");
        });

    // another key (not Stripe's replay of the first answer): the error, then the intent's real status decides
    Captures.Outcome outcome = Captures.capture(sim.gateway, pi.getId(), 4_000L, "tot-capture-other-key").await();
    assertThat(outcome.kind()).isEqualTo(Captures.Kind.CAPTURED);
    assertThat(outcome.capturedCents(4_000)).isEqualTo(2_500);
    assertThat(outcome.chargeId()).startsWith("ch_");
    assertThat(Captures.Outcome.fromJson(outcome.toJson())).isEqualTo(outcome);

    PaymentIntent lapsing = authorizable(3_000, "play-7");
    sim.control("/_sim/payment_intents/" + lapsing.getId() + "/authorize", null);
    sim.control("/_sim/expire-authorization/" + lapsing.getId(), null);
    assertThat(Captures.capture(sim.gateway, lapsing.getId(), null, "tot-capture-play-7").await().kind())
        .isEqualTo(Captures.Kind.CANCELED);

    PaymentIntent unpaid = authorizable(3_000, "play-8"); // never authorized: nothing to decide yet, try again later
    assertThatThrownBy(() -> Captures.capture(sim.gateway, unpaid.getId(), null, "tot-capture-play-8").await())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("payment_state_conflict"));
  }

  @Test
  void aKeyIsRequired() {
    StripeClient noKey = StripeClient.builder().setApiKey("sk_live_not_for_the_simulator")
        .setApiBase(sim.simulator.baseUrl()).build();
    assertThatThrownBy(() -> noKey.v1().paymentIntents().retrieve("pi_x")).isInstanceOf(AuthenticationException.class);
  }

  @Test
  void unknownObjectsAre404() {
    assertThatThrownBy(() -> sim.client.v1().paymentIntents().retrieve("pi_missing"))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }
}
