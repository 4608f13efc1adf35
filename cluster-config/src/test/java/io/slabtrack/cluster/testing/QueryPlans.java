package io.slabtrack.cluster.testing;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** An {@code EXPLAIN}'s answer as the text psql would print: assertions on which scans a statement uses. */
public final class QueryPlans {
  private QueryPlans() {
  }

  /** @param explained the rows of an {@code EXPLAIN …} (text format: one plan line a row) */
  public static String text(RowSet<Row> explained) {
    return StreamSupport.stream(explained.spliterator(), false).map(r -> r.getString(0))
        .collect(Collectors.joining("\n"));
  }
}
