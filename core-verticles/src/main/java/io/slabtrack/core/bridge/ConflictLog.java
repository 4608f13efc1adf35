package io.slabtrack.core.bridge;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the command bridge's conflict log, always in the transaction of the change it records, so the log
 * never shows something that did not happen.
 */
public final class ConflictLog {
  public static final String BULK_DISENGAGE = "bulk_disengage";
  public static final String CLAIM_WON = "claim_won";
  public static final String CLAIM_LOST = "claim_lost";
  public static final String CLAIM_RELEASED = "claim_released";
  public static final String RELIST = "relist";
  /** A price audit action changed a card (issue 17): detail {action, by, before, after, rounding?}. */
  public static final String PRICE_AUDIT = "price_audit";

  private ConflictLog() {
  }

  public static Future<Void> record(SqlConnection tx, String kind, Long cardId, String channel, JsonObject detail) {
    return tx.preparedQuery(BridgeSql.LOG_INSERT).execute(Tuple.of(kind, cardId, channel, detail)).mapEmpty();
  }

  /** One entry per card, same kind, channel and detail. */
  public static Future<Void> recordEach(SqlConnection tx, String kind, List<Long> cardIds, String channel,
                                        JsonObject detail) {
    if (cardIds.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    for (Long id : cardIds) {
      batch.add(Tuple.of(kind, id, channel, detail));
    }
    return tx.preparedQuery(BridgeSql.LOG_INSERT).executeBatch(batch).mapEmpty();
  }

  /** One entry per card, same kind and channel, each with its own detail. */
  public static Future<Void> recordEach(SqlConnection tx, String kind, java.util.Map<Long, JsonObject> details,
                                        String channel) {
    if (details.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    details.forEach((id, detail) -> batch.add(Tuple.of(kind, id, channel, detail)));
    return tx.preparedQuery(BridgeSql.LOG_INSERT).executeBatch(batch).mapEmpty();
  }
}
