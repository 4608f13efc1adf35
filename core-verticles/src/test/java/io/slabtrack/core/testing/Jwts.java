package io.slabtrack.core.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.slabtrack.cluster.auth.JwtKeys;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens made without our code: valid ones signed by Nimbus JOSE+JWT (an independent implementation, as another
 * stack sharing the secret would), and hand-built forgeries an attacker could send.
 */
public final class Jwts {
  private Jwts() {
  }

  /** Claims of a handoff into {@code aud} for user {@code sub}, issued {@code ageSeconds} ago, living 60 s. */
  public static JWTClaimsSet.Builder handoff(String sub, String aud, long ageSeconds) {
    Instant iat = Instant.now().minusSeconds(ageSeconds);
    return new JWTClaimsSet.Builder().issuer("slabtrack").subject(sub).audience(aud)
        .claim("email", sub + "@example.test").claim("roles", List.of("operator", "buyer"))
        .claim("typ", "handoff").jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(iat)).expirationTime(Date.from(iat.plusSeconds(60)));
  }

  /** Claims of a session core issued ({@code aud} core) for user {@code sub}, living an hour. */
  public static JWTClaimsSet.Builder session(String sub, String... roles) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer("slabtrack").subject(sub).audience("core")
        .claim("email", sub + "@example.test")
        .claim("roles", List.of(roles)).claim("typ", "session")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
  }

  /** HS256 by Nimbus, with {@code kid} = the fingerprint of {@code secret} when {@code withKid}. */
  public static String nimbus(String secret, boolean withKid, JWTClaimsSet claims) throws Exception {
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.HS256);
    if (withKid) {
      header.keyID(JwtKeys.fingerprint(secret));
    }
    SignedJWT jwt = new SignedJWT(header.build(), claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  /** Any header, any payload, HMAC-SHA256 with {@code secret} whatever the header says. */
  public static String forged(JsonObject header, JsonObject payload, String secret) throws Exception {
    String input = b64(header.encode()) + "." + b64(payload.encode());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code alg: none}, with an empty signature segment as the RFC has it. */
  public static String unsigned(JsonObject payload) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(payload.encode()) + ".";
  }

  /** A claims set as the JSON payload forgeries are built from. */
  public static JsonObject payload(JWTClaimsSet claims) {
    Map<String, Object> map = claims.toJSONObject();
    return new JsonObject(map);
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
