package io.slabtrack.cluster.db;

import io.slabtrack.cluster.config.PgSettings;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The runtime path to PostgreSQL: vertx-pg-client pools (JDBC is for migrations only). */
public final class PgPools {
  private PgPools() {
  }

  public static PgConnectOptions connectOptions(PgSettings db) {
    PgConnectOptions o = new PgConnectOptions()
        .setHost(db.host())
        .setPort(db.port())
        .setUser(db.user())
        .setDatabase(db.database())
        .setCachePreparedStatements(true)
        .setPipeliningLimit(16);
    if (!db.password().isEmpty()) {
      o.setPassword(db.password());
    }
    return o;
  }

  public static Pool create(Vertx vertx, PgSettings db, int maxSize) {
    return create(vertx, db, maxSize, -1);
  }

  /**
   * @param maxWaitQueue statements that may wait for a connection (-1: no bound); one more fails at once with
   *                     {@code ConnectionPoolTooBusyException}, which {@link DatabaseTrouble} calls "try later" (503)
   */
  public static Pool create(Vertx vertx, PgSettings db, int maxSize, int maxWaitQueue) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(maxWaitQueue).setShared(false)
            .setName("pg-" + db.database()))
        .connectingTo(connectOptions(db))
        .using(vertx)
        .build();
  }
}
