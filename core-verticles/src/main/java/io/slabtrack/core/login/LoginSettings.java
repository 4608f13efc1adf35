package io.slabtrack.core.login;

import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.config.Settings;
import java.time.Duration;

/**
 * Limits of passwordless login. The code rules (10 minutes, 5 attempts) are the contract and fixed; the
 * request limits are config because a shop behind one NAT address may need a higher per-address budget.
 *
 * @param failedVerifiesPerEmail wrong codes one address may send per {@code failedVerifyWindow}, across all its
 *                               codes (each new code has its own 5 attempts, so without this budget a new code
 *                               every few minutes would buy more guesses)
 */
public record LoginSettings(
    Duration codeTtl,
    int maxAttempts,
    Duration sessionTtl,
    int perEmailLimit,
    int perAddressLimit,
    Duration window,
    int failedVerifiesPerEmail,
    Duration failedVerifyWindow) {

  public static LoginSettings from(Settings s) {
    return new LoginSettings(Duration.ofMinutes(10), 5, TokenService.MAX_SESSION_TTL,
        s.integer("LOGIN_LIMIT_PER_EMAIL", 5, 1, 10_000),
        s.integer("LOGIN_LIMIT_PER_ADDRESS", 30, 1, 1_000_000),
        Duration.ofSeconds(s.integer("LOGIN_LIMIT_WINDOW_SECONDS", 900, 10, 86_400)),
        s.integer("LOGIN_FAILED_VERIFY_LIMIT", 10, 1, 1_000),
        // at most a day: the retention sweep forgets counter windows that started more than a day ago
        Duration.ofSeconds(s.integer("LOGIN_FAILED_VERIFY_WINDOW_SECONDS", 86_400, 60, 86_400)));
  }
}
