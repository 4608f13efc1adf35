package io.slabtrack.cluster.auth;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a verified token says about its bearer. Only {@link TokenService#verify} makes these, after the
 * signature, expiry, issuer, type and audience have been checked, so holding one means "this is true".
 *
 * @param subject   {@code sub}: a user id, or {@code app:<id>} for a service token
 * @param email     {@code email}, or null (service tokens carry none)
 * @param roles     the known values of {@code roles}; unknown values are dropped, never mapped to a role
 * @param type      {@code typ}
 * @param audience  {@code aud} as a list (empty when absent)
 * @param jti       {@code jti}, or null
 * @param expiresAt {@code exp}
 * @param claims    every claim of the token, for features that define their own (a copy; mutate freely)
 */
public record VerifiedToken(
    String subject,
    String email,
    Set<Role> roles,
    TokenType type,
    List<String> audience,
    String jti,
    Instant expiresAt,
    JsonObject claims) {

  public VerifiedToken {
    roles = Set.copyOf(roles);
    audience = List.copyOf(audience);
    claims = claims.copy();
  }

  /** True when no roles are asked for, or the token holds at least one of them. */
  public boolean hasAnyRole(Collection<Role> anyOf) {
    return anyOf.isEmpty() || anyOf.stream().anyMatch(roles::contains);
  }

  /**
   * {@code iat}, when the token has one (ours always do). A fractional value from another stack is cut to the
   * second below, the side on which a revocation check refuses rather than lets through.
   */
  public Optional<Instant> issuedAt() {
    return claims.getValue("iat") instanceof Number n ? Optional.of(Instant.ofEpochSecond(n.longValue()))
        : Optional.empty();
  }

  /** For a service token: the id of the app that minted it ({@code sub = app:<id>}), else null. */
  public String issuerApp() {
    return type == TokenType.SERVICE && subject.startsWith(TokenService.SERVICE_SUBJECT_PREFIX)
        ? subject.substring(TokenService.SERVICE_SUBJECT_PREFIX.length())
        : null;
  }

  @Override
  public JsonObject claims() {
    return claims.copy();
  }
}
