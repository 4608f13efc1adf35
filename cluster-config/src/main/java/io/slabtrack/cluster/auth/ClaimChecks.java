package io.slabtrack.cluster.auth;

import io.slabtrack.cluster.config.AppName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The claim rules of API-CONVENTIONS.md ("Auth"), applied to a payload whose signature has already been
 * verified. Every rejection is a 401 with a message safe to show the caller: it names the rule, never a value.
 */
final class ClaimChecks {
  private ClaimChecks() {
  }

  /**
   * Runs before the signature check as well: the library accepts tokens without {@code exp} and would choke on
   * time claims that are not numbers, so both are refused up front.
   */
  static void requireTimeClaims(JsonObject payload) {
    if (!(payload.getValue("exp") instanceof Number)) {
      throw JwtParts.reject("Token has no expiry");
    }
    for (String name : List.of("iat", "nbf")) {
      Object v = payload.getValue(name);
      if (v != null && !(v instanceof Number)) {
        throw JwtParts.reject("Malformed token");
      }
    }
  }

  static VerifiedToken check(JsonObject payload, TokenType expectedType, Optional<AppName> expectedAudience,
      Instant now, int leewaySeconds) {
    requireTimeClaims(payload);
    Instant expiresAt = Instant.ofEpochSecond(((Number) payload.getValue("exp")).longValue());
    // The library checked this too; repeating it keeps the guarantee here, next to the other rules.
    if (expiresAt.plusSeconds(leewaySeconds).isBefore(now)) {
      throw JwtParts.reject("Token has expired");
    }
    if (!TokenService.ISSUER.equals(payload.getValue("iss"))) {
      throw JwtParts.reject("Token was not issued by slabtrack");
    }
    TokenType type = stringClaim(payload, "typ").flatMap(TokenType::fromClaim)
        .orElseThrow(() -> JwtParts.reject("Token has no valid type"));
    if (type != expectedType) {
      throw JwtParts.reject("This route does not accept " + type.claim() + " tokens");
    }
    List<String> audience = audience(payload);
    if (expectedAudience.isPresent() && !audience.contains(expectedAudience.get().id())) {
      throw JwtParts.reject("Token is not meant for this app");
    }
    String subject = stringClaim(payload, "sub").filter(s -> !s.isBlank())
        .orElseThrow(() -> JwtParts.reject("Token has no subject"));
    String email = optionalString(payload, "email");
    String jti = optionalString(payload, "jti");
    return new VerifiedToken(subject, email, roles(payload), type, audience, jti, expiresAt, payload);
  }

  /** {@code aud} may be one string or an array of strings (RFC 7519 §4.1.3). */
  private static List<String> audience(JsonObject payload) {
    Object raw = payload.getValue("aud");
    if (raw == null) {
      return List.of();
    }
    if (raw instanceof String s) {
      return List.of(s);
    }
    if (raw instanceof JsonArray array) {
      List<String> out = new ArrayList<>();
      for (Object o : array) {
        if (!(o instanceof String s)) {
          throw JwtParts.reject("Malformed token");
        }
        out.add(s);
      }
      return out;
    }
    throw JwtParts.reject("Malformed token");
  }

  /** Unknown role names are ignored (a newer app may know more roles); a non-array is malformed. */
  private static Set<Role> roles(JsonObject payload) {
    Object raw = payload.getValue("roles");
    if (raw == null) {
      return Set.of();
    }
    if (!(raw instanceof JsonArray array)) {
      throw JwtParts.reject("Malformed token");
    }
    Set<Role> out = EnumSet.noneOf(Role.class);
    for (Object o : array) {
      if (!(o instanceof String s)) {
        throw JwtParts.reject("Malformed token");
      }
      Role.fromClaim(s).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<String> stringClaim(JsonObject payload, String name) {
    Object v = payload.getValue(name);
    if (v != null && !(v instanceof String)) {
      throw JwtParts.reject("Malformed token");
    }
    return Optional.ofNullable((String) v);
  }

  private static String optionalString(JsonObject payload, String name) {
    return stringClaim(payload, name).orElse(null);
  }
}
