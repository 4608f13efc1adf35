package io.slabtrack.core.login;

import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.config.Settings;
import java.time.Duration;

/**
 * Limits of passwordless login. The code rules (10 minutes, 5 attempts) are the contract and fixed; the
 * request limits are config because a shop behind one NAT address may need a higher per-address budget.
 */
public record LoginSettings(
    Duration codeTtl,
    int maxAttempts,
    Duration sessionTtl,
    int perEmailLimit,
    int perAddressLimit,
    Duration window,
    boolean trustForwardedFor) {

  public static LoginSettings from(Settings s) {
    return new LoginSettings(Duration.ofMinutes(10), 5, TokenService.MAX_SESSION_TTL,
        s.integer("LOGIN_LIMIT_PER_EMAIL", 5, 1, 10_000),
        s.integer("LOGIN_LIMIT_PER_ADDRESS", 30, 1, 1_000_000),
        Duration.ofSeconds(s.integer("LOGIN_LIMIT_WINDOW_SECONDS", 900, 10, 86_400)),
        s.bool("TRUST_FORWARDED_FOR", false));
  }
}
