package io.slabtrack.cluster.stripe;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.metrics.StripeMetrics;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a webhook delivery's {@code Stripe-Signature} with stripe-java (HMAC-SHA256 over {@code "t.body"},
 * 300 s tolerance against replays) and returns the event as raw JSON. The raw form, not stripe-java's typed
 * {@code Event}: typed payloads come back empty when the event's API version differs from the library's, and a
 * Stripe account's version changes independently of our deployments.
 *
 * <p>Give it the body exactly as received ({@code ctx.body().asString()}); re-encoded JSON no longer matches.
 * Any failure is a 400 {@code invalid_signature} thrown before anything else happens, and is logged, because a
 * wrong secret otherwise shows only as orders that never settle.
 */
public final class StripeWebhookVerifier {
  public static final long TOLERANCE_SECONDS = 300;
  private static final Logger LOG = LoggerFactory.getLogger(StripeWebhookVerifier.class);

  private final String endpointName;
  private final Optional<String> secret;
  private final Clock clock;
  private final StripeMetrics metrics;

  /** @param endpointName for the log, e.g. "storefront platform" */
  public StripeWebhookVerifier(String endpointName, Optional<String> secret) {
    this(endpointName, secret, Clock.systemUTC(), null);
  }

  StripeWebhookVerifier(String endpointName, Optional<String> secret, Clock clock) {
    this(endpointName, secret, clock, null);
  }

  private StripeWebhookVerifier(String endpointName, Optional<String> secret, Clock clock, StripeMetrics metrics) {
    this.endpointName = endpointName;
    this.secret = secret;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The same verifier, counting each delivery as verified or rejected under {@link #endpoint()}. */
  public StripeWebhookVerifier countedBy(StripeMetrics metrics) {
    return new StripeWebhookVerifier(endpointName, secret, clock, metrics);
  }

  /** The endpoint's name as a metrics tag: {@code storefront_platform}, {@code tot}, … */
  public String endpoint() {
    return endpointName.replace(' ', '_');
  }

  /** A replayed event (its id already recorded): counted, so a flood of Stripe retries shows. */
  public void duplicate() {
    if (metrics != null) {
      metrics.webhookDuplicate(endpoint());
    }
  }

  /**
   * @return the event JSON, with at least a string {@code id} and {@code type}
   * @throws ApiException 400 {@code invalid_signature} (missing, malformed, wrong or stale signature),
   *     400 {@code invalid_payload} (signed but not an event), 503 {@code webhook_not_configured} (no secret)
   */
  public JsonObject verify(String payload, String signatureHeader) {
    JsonObject event;
    try {
      event = verifyNow(payload, signatureHeader);
    } catch (RuntimeException e) {
      if (metrics != null) {
        metrics.webhookRejected(endpoint());
      }
      throw e;
    }
    if (metrics != null) {
      metrics.webhookVerified(endpoint());
    }
    return event;
  }

  private JsonObject verifyNow(String payload, String signatureHeader) {
    if (secret.isEmpty()) {
      LOG.error("Stripe webhook {} received an event but has no signing secret configured: refusing it",
          endpointName);
      throw ApiErrors.unavailable("webhook_not_configured", "This webhook endpoint has no signing secret configured");
    }
    if (payload == null || signatureHeader == null || signatureHeader.isBlank()) {
      throw rejected("missing Stripe-Signature header or body");
    }
    try {
      Webhook.Signature.verifyHeader(payload, signatureHeader, secret.get(), TOLERANCE_SECONDS, clock);
    } catch (SignatureVerificationException e) {
      throw rejected(e.getMessage());
    } catch (RuntimeException e) {
      // stripe-java parses the header's timestamp with Long.parseLong: garbage there is a bad signature too
      throw rejected("malformed Stripe-Signature header (" + e.getClass().getSimpleName() + ")");
    }
    JsonObject event;
    try {
      event = new JsonObject(payload);
    } catch (DecodeException e) {
      throw ApiErrors.badRequest("invalid_payload", "The webhook body is not a JSON object", null);
    }
    if (!(event.getValue("id") instanceof String) || !(event.getValue("type") instanceof String)
        || !(event.getValue("data") instanceof JsonObject)) {
      throw ApiErrors.badRequest("invalid_payload", "The webhook body is not a Stripe event", null);
    }
    return event;
  }

  private ApiException rejected(String reason) {
    LOG.warn("Stripe webhook {} rejected a delivery: {} (check the endpoint's signing secret if this repeats)",
        endpointName, reason);
    return ApiErrors.badRequest("invalid_signature", "Stripe signature verification failed", null);
  }
}
