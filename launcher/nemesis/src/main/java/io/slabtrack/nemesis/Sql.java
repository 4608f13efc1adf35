package io.slabtrack.nemesis;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.db.PgPools;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The nemesis's own read access to the apps' databases, straight to PostgreSQL (never through the apps'
 * forwarders, so a database fault does not blind it). One small pool per app; a query that fails (the server out of
 * connection slots, shared with six nodes and other users) is retried for up to two minutes.
 */
public final class Sql implements AutoCloseable {
  private final Map<AppName, Pool> pools = new EnumMap<>(AppName.class);

  public Sql(Cluster cluster) {
    for (AppName app : AppName.values()) {
      pools.put(app, PgPools.create(cluster.vertx(), Cluster.pgServer().withDatabase(cluster.database(app)
          .database()), 2));
    }
  }

  public List<Row> rows(AppName app, String sql, Object... params) {
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      try {
        List<Row> rows = new ArrayList<>();
        pools.get(app).preparedQuery(sql).execute(Tuple.from(params)).await().forEach(rows::add);
        return rows;
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  public long count(AppName app, String sql, Object... params) {
    return rows(app, sql, params).get(0).getLong(0);
  }

  @Override
  public void close() {
    pools.values().forEach(p -> p.close().await());
  }
}
