package io.slabtrack.cluster.config;

import java.time.Duration;

/**
 * Sale-lock timing. {@code grace} keeps an expired lock in the map a little longer than its TTL so the sweeper
 * can still see it and tell its channel (Hazelcast's own expiry events are late and lossy); reads treat a lock
 * past {@code expiresAt} as absent from the first millisecond.
 */
public record SaleLockSettings(Duration defaultTtl, Duration maxTtl, Duration sweepInterval, Duration grace,
                               Duration callDeadline) {
  /** How long one lock call may take before it answers 503 {@code cluster_unavailable} (a cut-off member). */
  public static final int DEFAULT_CALL_DEADLINE_MS = 1500;

  public static SaleLockSettings load(Settings s) {
    int max = s.integer("SALE_LOCK_MAX_TTL_SECONDS", 3600, 1, 86_400);
    int ttl = s.integer("SALE_LOCK_TTL_SECONDS", 600, 1, max);
    int sweep = s.integer("SALE_LOCK_SWEEP_SECONDS", 15, 1, 3600);
    int grace = s.integer("SALE_LOCK_GRACE_SECONDS", Math.max(120, sweep * 4), sweep, 86_400);
    int deadline = s.integer("SALE_LOCK_CALL_TIMEOUT_MS", DEFAULT_CALL_DEADLINE_MS, 100, 60_000);
    return new SaleLockSettings(Duration.ofSeconds(ttl), Duration.ofSeconds(max), Duration.ofSeconds(sweep),
        Duration.ofSeconds(grace), Duration.ofMillis(deadline));
  }
}
