package io.slabtrack.cluster.auth;

import java.util.Arrays;
import java.util.Optional;

/** Values of the {@code roles} claim of a session or handoff token. */
public enum Role {
  OPERATOR("operator"),
  VENDOR("vendor"),
  BUYER("buyer");

  private final String claim;

  Role(String claim) {
    this.claim = claim;
  }

  public String claim() {
    return claim;
  }

  public static Optional<Role> fromClaim(String value) {
    return Arrays.stream(values()).filter(r -> r.claim.equals(value)).findFirst();
  }
}
