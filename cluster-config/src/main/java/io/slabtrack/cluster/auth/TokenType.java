package io.slabtrack.cluster.auth;

import java.util.Arrays;
import java.util.Optional;

/** The {@code typ} claim: which kind of caller a token stands for, and so which routes accept it. */
public enum TokenType {
  /** A person, on operator, owner and buyer routes. */
  SESSION("session"),
  /** One-time single sign-on into another app; accepted only at {@code /auth/handoff} of its audience. */
  HANDOFF("handoff"),
  /** App to app; its audience is the receiving app. */
  SERVICE("service"),
  /** A monitoring system reading {@code GET /metrics} (Prometheus); accepted nowhere else. */
  METRICS("metrics");

  private final String claim;

  TokenType(String claim) {
    this.claim = claim;
  }

  public String claim() {
    return claim;
  }

  /** Exact match only: a claim value is a protocol constant, not user input to be forgiving about. */
  public static Optional<TokenType> fromClaim(String value) {
    return Arrays.stream(values()).filter(t -> t.claim.equals(value)).findFirst();
  }
}
