package io.slabtrack.cluster.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentCaptureParams;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.settlement.SaleTerms.StripeStep;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one behaviour each satellite now shares, against the Stripe simulator through the real stripe-java. */
class SettlementRulesTest {
  private static StripeSimFixture sim;

  @BeforeAll
  static void start() {
    sim = new StripeSimFixture(AppName.TOT);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static PaymentIntent authorized(long amount) throws Exception {
    PaymentIntent pi = sim.client.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
        .setAmount(amount).setCurrency("usd").setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL).build());
    return sim.client.v1().paymentIntents().confirm(pi.getId(),
        PaymentIntentConfirmParams.builder().setPaymentMethod("pm_card_visa").build());
  }

  @Test
  void oneKeySchemeOneValidityOneReleaseIdPerClaim() {
    assertThat(SaleTerms.key(sim.gateway, StripeStep.CAPTURE, "play-1")).isEqualTo("tot-capture-play-1");
    assertThat(SaleTerms.key(sim.gateway, StripeStep.CANCEL, "play-1")).isEqualTo("tot-cancel-play-1");
    assertThat(SaleTerms.key(sim.gateway, StripeStep.EXPIRE, "play-1")).isEqualTo("tot-expire-play-1");
    assertThat(SaleTerms.AUTH_VALIDITY).isLessThan(Duration.ofDays(7));
    assertThat(SaleRelease.eventId("claim-1")).isEqualTo(SaleRelease.eventId("claim-1"))
        .isNotEqualTo(SaleRelease.eventId("claim-2"));
  }

  @Test
  void aCancelIsDoneWhenThePaymentIntentIsCanceledHoweverStripeAnswers() throws Exception {
    PaymentIntent pi = authorized(2_000);
    Authorizations.cancel(sim.gateway, pi.getId(), "play-a").await(10, TimeUnit.SECONDS);
    assertThat(sim.client.v1().paymentIntents().retrieve(pi.getId()).getStatus()).isEqualTo("canceled");
    // again, from another caller with another key: Stripe refuses, the status says it is done
    Authorizations.cancel(sim.gateway, pi.getId(), "play-b").await(10, TimeUnit.SECONDS);
    // nothing authorized: nothing to cancel
    Authorizations.cancel(sim.gateway, null, "play-c").await(10, TimeUnit.SECONDS);
  }

  @Test
  void aCancelOfACapturedPaymentFails() throws Exception {
    PaymentIntent pi = authorized(3_000);
    sim.client.v1().paymentIntents().capture(pi.getId(), PaymentIntentCaptureParams.builder().build());
    var cancel = Authorizations.cancel(sim.gateway, pi.getId(), "play-d");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> cancel.await(10, TimeUnit.SECONDS))
        .as("money was taken: cancelling it is not 'done'").isNotNull();
    assertThat(sim.client.v1().paymentIntents().retrieve(pi.getId()).getStatus()).isEqualTo("succeeded");
  }
}
