package io.slabtrack.cluster.auth;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * The one "is this session or handoff still honoured?" rule every app asks after verifying a token: refused when
 * its user is disabled, or when it was issued before the user's sessions-valid-after instant (roles changed).
 * Both answer from local replicas, so the check costs no I/O.
 */
public record RevokedSessions(DisabledUsers disabled, SessionsValidAfter validAfter)
    implements Predicate<VerifiedToken> {

  public RevokedSessions {
    Objects.requireNonNull(disabled, "disabled");
    Objects.requireNonNull(validAfter, "validAfter");
  }

  @Override
  public boolean test(VerifiedToken token) {
    return disabled.test(token.subject()) || validAfter.revokes(token);
  }
}
