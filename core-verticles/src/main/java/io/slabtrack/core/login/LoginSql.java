package io.slabtrack.core.login;

/** Every SQL statement of passwordless login. */
final class LoginSql {
  private LoginSql() {
  }

  /** A new code replaces any pending one for the address, resetting its attempts: the old code is void. */
  static final String ISSUE = """
      INSERT INTO login_codes (email, code_hash, attempts, expires_at)
      VALUES ($1, $2, 0, now() + make_interval(secs => $3))
      ON CONFLICT (email) DO UPDATE SET code_hash = EXCLUDED.code_hash, attempts = 0,
        expires_at = EXCLUDED.expires_at, created_at = now()""";

  /**
   * Spends one attempt before the comparison, atomically: parallel guesses cannot share an attempt, and once the
   * budget is gone no row comes back, so even the right code fails (locked until a new code is requested).
   */
  static final String SPEND_ATTEMPT = """
      UPDATE login_codes SET attempts = attempts + 1
      WHERE email = $1 AND expires_at > now() AND attempts < $2
      RETURNING code_hash""";

  /** Single use: of two racing correct verifications only one deletes the row. */
  static final String CONSUME = "DELETE FROM login_codes WHERE email = $1 AND code_hash = $2";


  static final String SWEEP_CODES = "DELETE FROM login_codes WHERE expires_at < now() - interval '1 hour'";
}
