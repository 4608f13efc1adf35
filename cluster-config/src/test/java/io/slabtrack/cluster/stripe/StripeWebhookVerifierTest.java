package io.slabtrack.cluster.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.simulator.stripe.WebhookSignatures;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StripeWebhookVerifierTest {
  private static final String SECRET = "whsec_unit";
  private static final String BODY = new JsonObject().put("id", "evt_1").put("object", "event")
      .put("type", "charge.refunded").put("data", new JsonObject().put("object", new JsonObject())).encode();
  private final StripeWebhookVerifier verifier = new StripeWebhookVerifier("unit", Optional.of(SECRET));

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private static void assertInvalidSignature(Runnable r) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("invalid_signature");
    });
  }

  @Test
  void aFreshCorrectSignatureGivesTheRawEvent() {
    JsonObject event = verifier.verify(BODY, WebhookSignatures.header(SECRET, BODY, now()));
    assertThat(event.getString("id")).isEqualTo("evt_1");
    assertThat(event.getString("type")).isEqualTo("charge.refunded");
  }

  @Test
  void aTamperedBodyIsRejected() {
    String header = WebhookSignatures.header(SECRET, BODY, now());
    assertInvalidSignature(() -> verifier.verify(BODY.replace("charge.refunded", "charge.dispute.closed"), header));
  }

  @Test
  void theWrongSecretIsRejected() {
    assertInvalidSignature(() -> verifier.verify(BODY, WebhookSignatures.header("whsec_other", BODY, now())));
  }

  @Test
  void aStaleTimestampIsRejectedAndOneWithinToleranceIsNot() {
    assertInvalidSignature(() -> verifier.verify(BODY, WebhookSignatures.header(SECRET, BODY, now() - 301)));
    assertThat(verifier.verify(BODY, WebhookSignatures.header(SECRET, BODY, now() - 250))).isNotNull();
  }

  @Test
  void missingOrGarbledHeadersAreRejected() {
    assertInvalidSignature(() -> verifier.verify(BODY, null));
    assertInvalidSignature(() -> verifier.verify(BODY, ""));
    assertInvalidSignature(() -> verifier.verify(BODY, "t=abc,v1=zz"));
    assertInvalidSignature(() -> verifier.verify(BODY, "v1=" + "0".repeat(64)));
  }

  @Test
  void aSignedBodyThatIsNoEventIsRejected() {
    String notEvent = "{\"hello\":1}";
    assertThatThrownBy(() -> verifier.verify(notEvent, WebhookSignatures.header(SECRET, notEvent, now())))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_payload"));
  }

  @Test
  void withoutASecretNothingIsAccepted() {
    StripeWebhookVerifier unconfigured = new StripeWebhookVerifier("unit", Optional.empty());
    assertThatThrownBy(() -> unconfigured.verify(BODY, WebhookSignatures.header(SECRET, BODY, now())))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
  }
}
