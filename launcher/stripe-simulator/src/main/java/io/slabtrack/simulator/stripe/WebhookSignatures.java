package io.slabtrack.simulator.stripe;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signature scheme: {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>} over
 * {@code "<t>.<raw body>"}, keyed with the whole {@code whsec_…} string. Public so the satellites' tests can sign
 * tampered, stale or wrongly-keyed deliveries themselves.
 */
public final class WebhookSignatures {
  private WebhookSignatures() {
  }

  public static String header(String secret, String payload, long epochSeconds) {
    return "t=" + epochSeconds + ",v1=" + hmacHex(secret, epochSeconds + "." + payload);
  }

  static String hmacHex(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
