package io.slabtrack.cluster.db;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Tells "the database can't answer now" (down, restarting, out of connections, the link lost) from a bug or a refused
 * statement, so callers answer "retry later" (HTTP 503, an inbox's 503) instead of 500 or poison. Hand-written because
 * the reactive client reports these as plain exceptions: a SQLSTATE when PostgreSQL said it, else a socket error.
 */
public final class DatabaseTrouble {
  private DatabaseTrouble() {
  }

  /** True when {@code failure} (or a cause) says the database is unreachable or busy rather than the request wrong. */
  public static boolean unavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg) {
        return tryLater(pg.getSqlState());
      }
      // the pool's wait queue is full: this node has more statements waiting than it may queue
      if (t instanceof ConnectException || t instanceof ClosedChannelException
          || t instanceof ConnectionPoolTooBusyException) {
        return true;
      }
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      // the pool's own words for a lost or refused connection and for no connection free in time
      if (message.contains("connection refused") || message.contains("connection closed")
          || message.contains("connection reset") || message.contains("timeout waiting for connection")
          || message.contains("pool closed")) {
        return true;
      }
    }
    return false;
  }

  /**
   * SQLSTATE classes that say "not now" about the database, not "never" about the statement: 08 connection,
   * 40 serialization/deadlock, 53 insufficient resources (too many connections), 55P03 lock not available,
   * 57 operator intervention (shutdown, restart).
   */
  public static boolean tryLater(String sqlState) {
    return sqlState != null && (sqlState.startsWith("40") || sqlState.startsWith("53")
        || sqlState.startsWith("55P03") || sqlState.startsWith("57") || sqlState.startsWith("08"));
  }
}
