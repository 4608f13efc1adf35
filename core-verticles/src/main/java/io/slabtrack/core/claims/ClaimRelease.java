package io.slabtrack.core.claims;

import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.core.bridge.ConflictLog;
import io.slabtrack.core.cards.InvalidField;
import io.slabtrack.core.channels.Disengagements;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A won claim whose payment could not be captured: its cards go back to inventory (personal, not relisted on any
 * channel: the operator decides), and the release is logged. Releasing twice answers the same.
 */
public final class ClaimRelease {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimRelease.class);

  private ClaimRelease() {
  }

  /** Only the claim's own channel (or an operator) may release it: 403 {@code channel_not_owned}, nothing changed. */
  public static Future<JsonObject> release(SqlConnection tx, JsonObject body, ClaimCaller caller) {
    String claimId = ClaimRequest.text(body, "claimId", true);
    String reason = body.getValue("reason") instanceof String r ? r : "capture_failed";
    return tx.preparedQuery(ClaimSql.CLAIM_FOR_RELEASE).execute(Tuple.of(claimId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new InboxRejection(404, "unknown_claim", "No claim " + claimId));
      }
      Row claim = rows.iterator().next();
      Future<Void> owner = caller.requireChannel(claim.getString("channel"), "release claims");
      if (owner.failed()) {
        return owner.mapEmpty();
      }
      if (!"won".equals(claim.getString("outcome"))) {
        return Future.failedFuture(new InboxRejection(409, "claim_not_won", "Claim " + claimId + " was not won"));
      }
      JsonObject reply = new JsonObject().put("claimId", claimId).put("released", true);
      if (claim.getValue("released_at") != null) {
        return Future.succeededFuture(reply.put("cardIds", ((JsonObject) claim.getValue("reply")).getJsonArray("cardIds")));
      }
      return tx.preparedQuery(ClaimSql.CARDS_OF_CLAIM).execute(Tuple.of(claimId)).compose(cards -> {
        List<Long> ids = new ArrayList<>();
        cards.forEach(r -> ids.add(r.getLong("id")));
        LOG.info("claim released claimId={} cardIds={} reason={}", claimId, ids, reason);
        return Disengagements.unsell(tx, ids)
            .compose(x -> tx.preparedQuery(ClaimSql.MARK_RELEASED).execute(Tuple.of(claimId, reason)))
            .compose(x -> ConflictLog.recordEach(tx, ConflictLog.CLAIM_RELEASED, ids, null,
                new JsonObject().put("claimId", claimId).put("reason", reason)))
            .map(x -> reply.put("cardIds", new JsonArray(ids)));
      });
    });
  }

  /** Input check shared by the bus and HTTP paths. */
  public static void validate(JsonObject body) {
    if (body == null) {
      throw new InvalidField("body", "a JSON object is required");
    }
    ClaimRequest.text(body, "claimId", true);
  }
}
