package io.slabtrack.cluster.config;

import java.time.Duration;

/**
 * Sale-lock timing. {@code grace} keeps an expired lock in the map a little longer than its TTL so the sweeper
 * can still see it and tell its channel (Hazelcast's own expiry events are late and lossy); reads treat a lock
 * past {@code expiresAt} as absent from the first millisecond.
 */
public record SaleLockSettings(Duration defaultTtl, Duration maxTtl, Duration sweepInterval, Duration grace) {

  public static SaleLockSettings load(Settings s) {
    int max = s.integer("SALE_LOCK_MAX_TTL_SECONDS", 3600, 1, 86_400);
    int ttl = s.integer("SALE_LOCK_TTL_SECONDS", 600, 1, max);
    int sweep = s.integer("SALE_LOCK_SWEEP_SECONDS", 15, 1, 3600);
    int grace = s.integer("SALE_LOCK_GRACE_SECONDS", Math.max(120, sweep * 4), sweep, 86_400);
    return new SaleLockSettings(Duration.ofSeconds(ttl), Duration.ofSeconds(max), Duration.ofSeconds(sweep),
        Duration.ofSeconds(grace));
  }
}
