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

  LoginRateLimiter(Pool pool, Duration window) {
    this.pool = pool;
    this.window = window;
  }

  /** Counts one request against {@code bucket}; fails with 429 (and Retry-After) beyond {@code limit}. */
  Future<Void> hit(String bucket, int limit) {
    long now = Instant.now().getEpochSecond();
    long size = window.toSeconds();
    long start = now - Math.floorMod(now, size);
    return pool.preparedQuery(LoginSql.HIT).execute(Tuple.of(bucket, (double) start))
        .compose(rows -> {
          int hits = rows.iterator().next().getInteger("hits");
          if (hits <= limit) {
            return Future.succeededFuture();
          }
          long retryAfter = Math.max(1, start + size - now);
          return Future.failedFuture(new ApiException(429, "rate_limited",
              "Too many sign-in requests; try again later",
              new JsonObject().put("retryAfterSeconds", retryAfter)));
        });
  }
}
