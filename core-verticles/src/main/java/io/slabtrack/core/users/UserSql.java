package io.slabtrack.core.users;

/** Every SQL statement of the users feature. */
final class UserSql {
  private UserSql() {
  }

  static final String COLUMNS = "id, email, display_name, roles, disabled, created_at, updated_at, last_login_at";

  static final String LIST = "SELECT " + COLUMNS + " FROM users WHERE id > $1 ORDER BY id LIMIT $2";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM users WHERE id = $1";

  static final String BY_EMAIL = "SELECT " + COLUMNS + " FROM users WHERE lower(email) = $1";

  static final String INSERT = "INSERT INTO users (email, display_name, roles) VALUES ($1, $2, $3) RETURNING "
      + COLUMNS;

  /**
   * Only the fields given change: a null parameter keeps the stored value. A different set of roles, or disabling
   * an enabled account, moves {@code sessions_valid_after} to now: every token issued before stops working (the
   * right-hand sides read the row as it was). Saving the same roles again ends nobody's session.
   */
  static final String PATCH = """
      UPDATE users SET
        roles = COALESCE($2, roles),
        disabled = COALESCE($3, disabled),
        display_name = COALESCE($4, display_name),
        updated_at = now(),
        sessions_valid_after = CASE
          WHEN $2::text[] IS NOT NULL AND NOT (roles @> $2::text[] AND roles <@ $2::text[]) THEN now()
          WHEN $3::boolean AND NOT disabled THEN now()
          ELSE sessions_valid_after END
      WHERE id = $1
      RETURNING """ + " " + COLUMNS + ", sessions_valid_after";

  /**
   * Signing in with a verified code: a new address becomes a buyer; a known one gains the buyer role if it lacked
   * it. Disabled accounts are returned as they are, so the caller can refuse them.
   */
  static final String SIGN_IN = """
      INSERT INTO users (email, roles, last_login_at) VALUES ($1, '{buyer}', now())
      ON CONFLICT ((lower(email))) DO UPDATE SET
        roles = CASE WHEN users.disabled OR 'buyer' = ANY(users.roles) THEN users.roles
                     ELSE users.roles || '{buyer}'::text[] END,
        last_login_at = CASE WHEN users.disabled THEN users.last_login_at ELSE now() END
      RETURNING """ + " " + COLUMNS;

  /** The demo operator: created once, never changed by a second seed. */
  static final String SEED = """
      INSERT INTO users (email, display_name, roles) VALUES ($1, $2, $3)
      ON CONFLICT ((lower(email))) DO NOTHING""";

  static final String DISABLED_IDS = "SELECT id FROM users WHERE disabled";

  /** Instants recent enough that a token issued before them may still be alive ($1 = how far back, seconds). */
  static final String RECENT_SESSIONS_VALID_AFTER = """
      SELECT id, sessions_valid_after FROM users
      WHERE sessions_valid_after > now() - make_interval(secs => $1)""";
}
