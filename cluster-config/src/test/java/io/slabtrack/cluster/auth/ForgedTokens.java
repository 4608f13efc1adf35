package io.slabtrack.cluster.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-built compact JWS tokens with any header, payload and HMAC key: what an attacker can send. */
final class ForgedTokens {
  private ForgedTokens() {
  }

  static JsonObject header(String alg, String kid) {
    JsonObject h = new JsonObject().put("alg", alg).put("typ", "JWT");
    return kid == null ? h : h.put("kid", kid);
  }

  /** A valid-looking core session payload for user {@code u-1} with the given roles, expiring in 10 minutes. */
  static JsonObject session(String... roles) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", "slabtrack").put("sub", "u-1").put("aud", "core")
        .put("email", "u1@example.test")
        .put("roles", new JsonArray(java.util.List.of((Object[]) roles))).put("typ", "session")
        .put("iat", now).put("exp", now + 600);
  }

  static JsonObject service(String aud) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", "slabtrack").put("sub", "app:tot").put("aud", aud).put("typ", "service")
        .put("iat", now).put("exp", now + 600);
  }

  /** HMAC-SHA256 over header.payload with {@code secret}, whatever the header claims the algorithm is. */
  static String hmac(JsonObject header, JsonObject payload, String secret) {
    String signingInput = b64(header.encode()) + "." + b64(payload.encode());
    return signingInput + "." + b64(hmacBytes(secret, signingInput));
  }

  static String withSignature(JsonObject header, JsonObject payload, String signatureSegment) {
    return b64(header.encode()) + "." + b64(payload.encode()) + "." + signatureSegment;
  }

  static String b64(String s) {
    return b64(s.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static JsonObject decodePart(String token, int index) {
    String part = token.split("\\.")[index];
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }

  private static byte[] hmacBytes(String secret, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
