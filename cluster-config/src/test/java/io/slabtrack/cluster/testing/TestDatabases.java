package io.slabtrack.cluster.testing;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Databases;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Throwaway databases on the real PostgreSQL server (PG_HOST/PG_PORT/PG_USER/PG_PASSWORD, defaults
 * 127.0.0.1:5432 postgres), one per test class, so tests never see each other's rows and can run in any order.
 */
public final class TestDatabases {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestDatabases() {
  }

  public static PgSettings server() {
    return new PgSettings(
        env("PG_HOST", "127.0.0.1"),
        Integer.parseInt(env("PG_PORT", "5432")),
        env("PG_USER", "postgres"),
        env("PG_PASSWORD", ""),
        "postgres");
  }

  /** A new, empty database named {@code st_test_<label>_<random>}. */
  public static PgSettings create(String label) {
    String name = ("st_test_" + label + "_" + Long.toHexString(RANDOM.nextLong() & 0xffffffffffL))
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    PgSettings db = server().withDatabase(name);
    try {
      Databases.ensureExists(db);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name + " on " + server(), e);
    }
    return db;
  }

  public static void drop(PgSettings db) {
    try {
      Databases.drop(db);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test database " + db, e);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
