package io.slabtrack.cluster.limits;

import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;

/**
 * Fixed-window request counters in the app's own database (table {@code rate_windows}), for every app: core's
 * login, the satellites' checkouts and plays. The database, not a Hazelcast map, because every node of an app
 * already shares it: one atomic upsert per bucket gives an exact count across nodes with no extra moving part, and
 * the counts survive a full cluster restart (an attacker gains nothing by waiting for a deploy). A fixed window lets
 * a burst of 2x the limit straddle a boundary; for abuse limits that is acceptable and keeps one row per bucket.
 */
public final class RateLimiter {
  /**
   * A one-row FROM item that turns off {@code synchronous_commit} for the statement's own (implicit) transaction:
   * the commit returns once the WAL is written, not flushed, and releases the row locks at once. For bookkeeping
   * that may lose its last fraction of a second in a database crash, never for orders or money.
   */
  public static final String ASYNC_COMMIT = "(SELECT set_config('synchronous_commit', 'off', true)) AS async_commit";
  /**
   * Committed without waiting for the WAL flush ({@link #ASYNC_COMMIT}): every request of a bucket updates its one
   * row, and with a synchronous commit each holds the row lock through a disk flush, so a busy bucket (one client
   * flooding, or every buyer behind a proxy whose address isn't trusted) serialised all its requests on the disk and
   * held the app's pool connections while waiting, starving everyone else. A database crash may now forget the last
   * fraction of a second of hits, which an abuse limit can afford.
   */
  static final String HIT = "INSERT INTO rate_windows (bucket, window_start, hits) "
      + "SELECT $1, to_timestamp($2), 1 FROM " + ASYNC_COMMIT + " "
      + "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_windows.hits + 1 RETURNING hits";
  /** {@link #HIT} on {@code $1}, then on {@code $2} only if {@code $1} is still within its limit {@code $4}. */
  static final String HIT_THEN = "WITH " + hitThenSteps("", "$1", "$2", "$3", "$4") + " "
      + "SELECT hit1.hits, (SELECT hits FROM hit2) FROM hit1";

  /**
   * {@link #HIT_THEN}'s two steps as the CTEs {@code hit1} and {@code hit2}, for a statement that puts a check of
   * its own in front of them: {@code gate} is extra FROM items (with a trailing comma; "" for none) whose rows decide
   * whether the first hit happens at all (no row: neither is counted).
   */
  public static String hitThenSteps(String gate, String first, String second, String windowStart, String firstLimit) {
    return "hit1 AS (INSERT INTO rate_windows (bucket, window_start, hits) "
        + "SELECT " + first + ", to_timestamp(" + windowStart + "), 1 FROM " + gate + ASYNC_COMMIT + " "
        + "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_windows.hits + 1 RETURNING hits), "
        + "hit2 AS (INSERT INTO rate_windows (bucket, window_start, hits) "
        + "SELECT " + second + ", to_timestamp(" + windowStart + "), 1 FROM hit1 WHERE hit1.hits <= " + firstLimit
        + " ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_windows.hits + 1 RETURNING hits)";
  }

  static final String UNHIT = """
      UPDATE rate_windows SET hits = hits - 1
      WHERE bucket = $1 AND window_start = to_timestamp($2) AND hits > 0""";

  private final Pool pool;

  public RateLimiter(Pool pool) {
    this.pool = pool;
  }

  /**
   * Counts one request against {@code bucket} in the current window of {@code window}; fails with 429
   * {@code rate_limited} (and Retry-After: the window's end) beyond {@code limit}. A limit of 0 counts nothing.
   */
  public Future<Void> hit(String bucket, int limit, Duration window, String message) {
    return count(bucket, limit, window, message).mapEmpty();
  }

  /**
   * As {@link #hit}, and returns the counted hit so that a request which turns out not to count can give it back
   * ({@link #refund}): counting first and refunding after is what keeps parallel requests from all slipping in
   * under the limit. Null when the limit is 0.
   */
  public Future<Hit> count(String bucket, int limit, Duration window, String message) {
    if (limit <= 0) {
      return Future.succeededFuture();
    }
    long start = windowStart(window);
    return pool.preparedQuery(HIT).execute(Tuple.of(bucket, (double) start))
        .compose(rows -> {
          int hits = rows.iterator().next().getInteger("hits");
          if (hits <= limit) {
            return Future.succeededFuture(new Hit(bucket, start));
          }
          return Future.failedFuture(limitedUntilWindowEnd(message, start, window));
        });
  }

  /**
   * Two {@link #hit}s in one round trip, in order: {@code first}, and {@code second} only when {@code first} is within
   * its limit (as two calls one after the other would count). The buckets must differ, and every caller must pass
   * its kinds of bucket in the same order (rows are locked in that order).
   */
  public Future<Void> hitThen(String first, int firstLimit, String second, int secondLimit, Duration window,
                              String message) {
    if (firstLimit <= 0 || secondLimit <= 0) {
      return hit(first, firstLimit, window, message).compose(x -> hit(second, secondLimit, window, message));
    }
    long start = windowStart(window);
    return pool.preparedQuery(HIT_THEN).execute(Tuple.of(first, second, (double) start, firstLimit))
        .compose(rows -> {
          Row hits = rows.iterator().next();
          if (hits.getInteger(0) > firstLimit || hits.getInteger(1) > secondLimit) {
            return Future.failedFuture(limitedUntilWindowEnd(message, start, window));
          }
          return Future.succeededFuture();
        });
  }

  /** The start (epoch seconds) of the current window of {@code window}. */
  public static long windowStart(Duration window) {
    long now = Instant.now().getEpochSecond();
    return now - Math.floorMod(now, window.toSeconds());
  }

  /** The 429 for a window that started at {@code start}: Retry-After is the window's end. */
  public static ApiException limitedUntilWindowEnd(String message, long start, Duration window) {
    return limited(message, start + window.toSeconds() - Instant.now().getEpochSecond());
  }

  /** Takes back a counted hit whose request turned out not to count (a right login code is not a failed guess). */
  public Future<Void> refund(Hit hit) {
    if (hit == null) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(UNHIT).execute(Tuple.of(hit.bucket(), (double) hit.windowStart())).mapEmpty();
  }

  /** One counted request: its bucket and the start of the window (epoch seconds) it was counted in. */
  public record Hit(String bucket, long windowStart) {
  }

  /** The 429 every limit answers with; the failure handler turns {@code retryAfterSeconds} into Retry-After. */
  public static ApiException limited(String message, long retryAfterSeconds) {
    return new ApiException(429, "rate_limited", message,
        new JsonObject().put("retryAfterSeconds", Math.max(1, retryAfterSeconds)));
  }
}
