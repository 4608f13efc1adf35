package io.slabtrack.core.claims;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.BusSenders;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.outbox.InboxEvent;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.cluster.outbox.SenderInboxBatchHandler;
import io.vertx.core.AsyncResult;
import java.util.ArrayList;
import java.util.List;
import io.slabtrack.core.cards.InvalidField;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

/**
 * Sale claims and releases arriving over the bus through the channels' outboxes: each applied once per eventId
 * (inbox), decided in the inbox's transaction. Claims are group-committed: those that arrive while a decision
 * transaction runs are decided together in the next one ({@link GroupedClaims}), each answered as if alone. Only the selling apps may send them, proven by the service token
 * their relay attaches ({@link BusSenders}), and each only for its own channel; anything else is refused (401/403)
 * and changes nothing. A malformed message is rejected for good (400: dead-lettered).
 */
public final class ClaimVerticle extends VerticleBase {
  /** Claims decided in one transaction at most (a bound on its locks and statement sizes). */
  static final int MAX_GROUP = 128;
  private final Pool pool;
  private final ClaimDecider decider;
  private final BusSenders senders;
  private final GroupedClaims grouped;

  public ClaimVerticle(Pool pool, ClaimDecider decider, BusSenders senders) {
    this.pool = pool;
    this.decider = decider;
    this.senders = senders;
    this.grouped = decider.grouped();
  }

  @Override
  public Future<?> start() {
    BusSenders.Check sellingApps = senders.only(AppName.TOT, AppName.STOREFRONT);
    return Future.all(
        Inbox.consumeGrouped(vertx, pool, Addresses.CORE_SALE_CLAIM, sellingApps, new Claims(), MAX_GROUP),
        Inbox.consume(vertx, pool, Addresses.CORE_SALE_RELEASE, sellingApps, this::release));
  }

  private Future<JsonObject> claim(SqlConnection tx, JsonObject body, AppName sender) {
    ClaimRequest claim;
    try {
      claim = ClaimRequest.parse(body);
    } catch (InvalidField e) {
      return Future.failedFuture(new InboxRejection(400, "invalid_field", e.field() + ": " + e.getMessage()));
    }
    return decider.decide(tx, claim, ClaimCaller.app(sender));
  }

  /** One claim alone ({@link #claim}), or a group of them together. */
  private final class Claims implements SenderInboxBatchHandler {
    @Override
    public Future<JsonObject> apply(SqlConnection tx, JsonObject body, AppName sender) {
      return claim(tx, body, sender);
    }

    @Override
    public Future<List<AsyncResult<JsonObject>>> applyAll(SqlConnection tx, List<InboxEvent> events) {
      List<AsyncResult<JsonObject>> results = new ArrayList<>(events.size());
      List<GroupedClaims.Claim> valid = new ArrayList<>();
      List<Integer> at = new ArrayList<>();
      for (InboxEvent event : events) {
        ClaimRequest claim;
        try {
          claim = ClaimRequest.parse(event.body());
        } catch (InvalidField e) {
          results.add(Future.failedFuture(new InboxRejection(400, "invalid_field", e.field() + ": " + e.getMessage())));
          continue;
        }
        // the ids the claim's lines carry, as decide() puts them for one claim
        put(event.ids(), Correlation.CLAIM_ID, claim.claimId());
        put(event.ids(), Correlation.ORDER_ID, claim.orderRef());
        Future<Void> allowed = ClaimCaller.app(event.sender()).requireChannel(claim.channel().slug, "claim");
        if (allowed.failed()) {
          results.add(Future.failedFuture(allowed.cause()));
          continue;
        }
        at.add(results.size());
        results.add(null);
        valid.add(new GroupedClaims.Claim(claim, event.ids()));
      }
      if (valid.isEmpty()) {
        return Future.succeededFuture(results);
      }
      return grouped.decide(tx, valid).map(decided -> {
        for (int k = 0; k < decided.size(); k++) {
          results.set(at.get(k), decided.get(k));
        }
        return results;
      });
    }
  }

  private static void put(JsonObject ids, String key, String value) {
    if (Correlation.wellFormed(value)) {
      ids.put(key, value);
    }
  }

  private Future<JsonObject> release(SqlConnection tx, JsonObject body, AppName sender) {
    try {
      ClaimRelease.validate(body);
    } catch (InvalidField e) {
      return Future.failedFuture(new InboxRejection(400, "invalid_field", e.field() + ": " + e.getMessage()));
    }
    return ClaimRelease.release(tx, body, ClaimCaller.app(sender));
  }
}
