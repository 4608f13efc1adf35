package io.slabtrack.tot.plays;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A play's Idempotency-Key without a connection held over the play: the key is claimed in one statement (a row
 * "in progress"), and the claim is deleted in the transaction that stores the play (the play's idempotency_key then
 * answers every retry) or when the attempt fails (a retry then commits afresh). A retry that arrives while the
 * first attempt runs polls for its answer, holding nothing in between, and gets 409
 * {@code idempotency_key_in_progress} if the first takes longer than {@link #WAIT}.
 */
final class PlayKeys {
  /** Longer than a play can take (Stripe's read timeout and retries included): such a claim's node died. */
  static final Duration STALE_AFTER = Duration.ofMinutes(2);
  static final Duration WAIT = Duration.ofSeconds(15);
  private static final long POLL_MS = 100;
  private static final Logger LOG = LoggerFactory.getLogger(PlayKeys.class);

  /** This attempt's hold on a key. */
  record Claim(String key, String token) {
  }

  private final Vertx vertx;
  private final Pool pool;

  PlayKeys(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** The play stored under this key, or null. */
  Future<Row> stored(String key) {
    return pool.preparedQuery(PlaysSql.BY_IDEMPOTENCY_KEY).execute(Tuple.of(key))
        .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next());
  }

  /** @return the claim, or null when another attempt holds the key */
  Future<Claim> claim(String key, String requestHash) {
    String token = PlayCommit.token(12);
    return pool.preparedQuery(PlaysSql.CLAIM_KEY)
        .execute(Tuple.of(key, requestHash, token, (int) STALE_AFTER.toSeconds()))
        .map(rows -> rows.rowCount() == 1 ? new Claim(key, token) : null);
  }

  /**
   * Another attempt holds the key: succeeds after a short pause (or at once if the claim is gone), for the caller
   * to look again; fails if the key was claimed for another request, or the wait is over.
   */
  Future<Void> awaitOther(String key, String requestHash, long deadlineNanos) {
    return pool.preparedQuery(PlaysSql.KEY_CLAIM).execute(Tuple.of(key)).compose(rows -> {
      if (rows.rowCount() == 0) {
        return Future.succeededFuture(); // finished (stored or failed) meanwhile
      }
      if (!rows.iterator().next().getString("request_hash").equals(requestHash)) {
        return Future.failedFuture(PlayCommit.keyReused());
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        return Future.failedFuture(ApiErrors.conflict("idempotency_key_in_progress",
            "A play with this Idempotency-Key is still being committed; retry with the same key shortly"));
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(POLL_MS, id -> later.complete());
      return later.future();
    });
  }

  /** In the transaction that stores the play. */
  Future<Void> release(SqlConnection tx, Claim claim) {
    return claim == null ? Future.succeededFuture()
        : tx.preparedQuery(PlaysSql.RELEASE_KEY).execute(Tuple.of(claim.key(), claim.token())).mapEmpty();
  }

  /** After a failed attempt; never fails (an unreleased claim goes stale on its own). */
  Future<Void> release(Claim claim) {
    if (claim == null) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(PlaysSql.RELEASE_KEY).execute(Tuple.of(claim.key(), claim.token())).<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("Idempotency-Key claim not released ({}); it is taken over after {}", e.toString(), STALE_AFTER);
          return Future.succeededFuture();
        });
  }
}
