package io.slabtrack.core.login;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/** One-time login codes: issued per address (voiding the previous one), checked with a bounded number of tries. */
final class LoginCodes {
  private final Pool pool;
  private final CodeHasher hasher;
  private final LoginSettings settings;

  LoginCodes(Pool pool, CodeHasher hasher, LoginSettings settings) {
    this.pool = pool;
    this.hasher = hasher;
    this.settings = settings;
  }

  /** Stores a fresh code for the address and returns it in clear, for the mail only. */
  Future<String> issue(String email) {
    String code = hasher.newCode();
    Tuple row = Tuple.of(email, Buffer.buffer(hasher.hash(email, code)), (double) settings.codeTtl().toSeconds());
    return pool.preparedQuery(LoginSql.ISSUE).execute(row).map(code);
  }

  /**
   * True when {@code code} is the address's live code; it is then used up. Wrong, expired, exhausted, replaced
   * and never-issued codes are all just false: the caller gives one answer for all of them.
   */
  Future<Boolean> redeem(String email, String code) {
    return pool.preparedQuery(LoginSql.SPEND_ATTEMPT).execute(Tuple.of(email, settings.maxAttempts()))
        .compose(rows -> {
          byte[] stored = storedHash(rows);
          if (stored == null || !hasher.matches(stored, email, code)) {
            return Future.succeededFuture(false);
          }
          return pool.preparedQuery(LoginSql.CONSUME).execute(Tuple.of(email, Buffer.buffer(stored)))
              .map(deleted -> deleted.rowCount() == 1);
        });
  }

  Future<Void> sweep() {
    return pool.query(LoginSql.SWEEP_CODES).execute().mapEmpty();
  }

  private static byte[] storedHash(RowSet<Row> rows) {
    return rows.size() == 0 ? null : rows.iterator().next().getBuffer("code_hash").getBytes();
  }
}
