package io.slabtrack.core.login;

import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;

/**
 * Fixed-window request counters in core's database. The database, not a Hazelcast map, because every core node
 * already shares it and login/start writes to it anyway: one atomic upsert per bucket gives an exact count across
 * nodes with no extra moving part, and the counts survive a full cluster restart (an attacker gains nothing by
 * waiting for a deploy). A fixed window lets a burst of 2x the limit straddle a boundary; for throttling mail
 * that is acceptable and keeps the state to one row per bucket.
 */
final class LoginRateLimiter {
  private final Pool pool;
  private final Duration window;
  private final String refusal;

  /** @param refusal the message of the 429 */
  LoginRateLimiter(Pool pool, Duration window, String refusal) {
    this.pool = pool;
    this.window = window;
    this.refusal = refusal;
  }

  /**
   * Counts one request against {@code bucket}; fails with 429 (and Retry-After) beyond {@code limit}. The count is
   * taken before the work it guards, atomically, so parallel requests cannot all slip in under the limit.
   */
  Future<Hit> hit(String bucket, int limit) {
    long now = Instant.now().getEpochSecond();
    long size = window.toSeconds();
    long start = now - Math.floorMod(now, size);
    return pool.preparedQuery(LoginSql.HIT).execute(Tuple.of(bucket, (double) start))
        .compose(rows -> {
          int hits = rows.iterator().next().getInteger("hits");
          if (hits <= limit) {
            return Future.succeededFuture(new Hit(bucket, start));
          }
          long retryAfter = Math.max(1, start + size - now);
          return Future.failedFuture(new ApiException(429, "rate_limited", refusal,
              new JsonObject().put("retryAfterSeconds", retryAfter)));
        });
  }

  /** Takes back a counted hit whose request turned out not to count (a right code is not a failed guess). */
  Future<Void> refund(Hit hit) {
    return pool.preparedQuery(LoginSql.UNHIT).execute(Tuple.of(hit.bucket(), (double) hit.windowStart()))
        .mapEmpty();
  }

  /** One counted request: its bucket and the window it was counted in. */
  record Hit(String bucket, long windowStart) {
  }
}
