package io.slabtrack.cluster.db;

import io.slabtrack.cluster.config.PgSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Creates an app's database when it is missing. JDBC, blocking: called only from the launcher or from
 * {@code executeBlocking}, before any pool exists.
 */
public final class Databases {
  private static final String DUPLICATE_DATABASE = "42P04";
  private static final String UNIQUE_VIOLATION = "23505";

  private Databases() {
  }

  /** @return true when the database was created by this call */
  public static boolean ensureExists(PgSettings db) throws SQLException {
    try (Connection c = connect(db.withDatabase("postgres"))) {
      try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        q.setString(1, db.database());
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            return false;
          }
        }
      }
      try (Statement st = c.createStatement()) {
        // the name is validated as a plain identifier by NodeConfig; CREATE DATABASE takes no parameters
        st.execute("CREATE DATABASE \"" + db.database() + "\"");
        return true;
      } catch (SQLException e) {
        // two nodes starting together: the loser of the race finds it created
        if (DUPLICATE_DATABASE.equals(e.getSQLState()) || UNIQUE_VIOLATION.equals(e.getSQLState())) {
          return false;
        }
        throw e;
      }
    }
  }

  /** Drops a database (tests and benchmarks only), terminating sessions still attached to it. */
  public static void drop(PgSettings db) throws SQLException {
    try (Connection c = connect(db.withDatabase("postgres")); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS \"" + db.database() + "\" WITH (FORCE)");
    }
  }

  /** @return null when reachable, else the reason */
  public static String unreachableReason(PgSettings server) {
    try (Connection c = connect(server.withDatabase("postgres"))) {
      return null;
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  static Connection connect(PgSettings db) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", db.user());
    if (!db.password().isEmpty()) {
      p.setProperty("password", db.password());
    }
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(db.jdbcUrl(), p);
  }
}
