package io.slabtrack.core.reconcile;

import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.core.bridge.ConflictLog;
import io.slabtrack.core.channels.Channel;
import io.slabtrack.core.channels.Disengagements;
import io.slabtrack.core.channels.EngageRequest;
import io.slabtrack.core.channels.Engagements;
import io.slabtrack.core.claims.ClaimDecider;
import io.slabtrack.core.claims.ClaimRequest;
import io.slabtrack.core.publish.PublishType;
import io.slabtrack.core.publish.Publisher;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Applies a drift's fix in heal mode, each in its own transaction that first re-checks, under the card's row lock,
 * that the drift is still there (the world moved on since the snapshot). Every heal goes to the conflict log as
 * {@code reconcile_<kind>}. Satellite-side changes travel through core's outbox like every publish, with a version
 * above anything the satellite holds, so they apply once and in order. No heal ever relists a sold card: republish
 * and engage refuse a sold card; sold cards only ever get disengages.
 *
 * @return what happened: {@code healed…}, {@code skipped: …} or {@code failed: …} — a heal never fails the run
 */
final class Healer {
  static final String REASON = "reconciler";
  static final String LOCK_CARD = """
      SELECT c.id, c.listing_status, c.version, cc.status AS row_status
      FROM cards c LEFT JOIN card_channels cc ON cc.card_id = c.id AND cc.channel = $2
      WHERE c.id = $1 FOR UPDATE OF c""";
  /** The card's next version, above what the satellite shows, so the satellite applies the message. */
  static final String BUMP_VERSION = """
      UPDATE cards SET version = greatest(version + 1, $2::bigint + 1), updated_at = now() WHERE id = $1
      RETURNING version""";
  static final String RESYNC_ORDER = """
      INSERT INTO channel_orders (channel, order_ref, state, amount_cents, captured_cents, refunded_cents, card_ids,
                                  stripe_id, last_event_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (channel, order_ref) DO UPDATE SET state = excluded.state, amount_cents = excluded.amount_cents,
        captured_cents = excluded.captured_cents, refunded_cents = excluded.refunded_cents,
        card_ids = excluded.card_ids, stripe_id = coalesce(excluded.stripe_id, channel_orders.stripe_id),
        last_event_at = greatest(channel_orders.last_event_at, excluded.last_event_at), updated_at = now()""";
  static final String RESYNC_EVENT = """
      INSERT INTO channel_order_events (event_id, channel, order_ref, state, body, occurred_at)
      VALUES ($1, $2, $3, $4, $5, now())""";

  private final Pool pool;
  private final SaleLocks locks;
  private final ClaimDecider claims;
  private final Engagements engagements;

  Healer(Pool pool, SaleLocks locks, ClaimDecider claims, Engagements engagements) {
    this.pool = pool;
    this.locks = locks;
    this.claims = claims;
    this.engagements = engagements;
  }

  Future<String> heal(UUID runId, Drift drift, Map<String, JsonObject> satelliteOrders) {
    if (!drift.fixable()) {
      return Future.succeededFuture("skipped: never auto-fixed");
    }
    Channel channel = Channel.of(drift.channel()).orElseThrow();
    Future<String> result = switch (drift.fix()) {
      case "disengage", "withdraw" -> withdraw(runId, channel, drift);
      case "republish" -> republish(runId, channel, drift);
      case "clear" -> clear(runId, channel, drift);
      case "engage" -> engage(channel, drift).compose(outcome -> logAlone(runId, drift, outcome));
      case "release_lock" -> releaseLock(drift).compose(outcome -> logAlone(runId, drift, outcome));
      case "replay_claim" -> replayClaim(runId, channel, drift);
      case "resync_ledger" -> resyncLedger(runId, channel, drift, satelliteOrders);
      default -> Future.succeededFuture("skipped: no heal for " + drift.fix());
    };
    return result.recover(e -> Future.succeededFuture("failed: " + describe(e)));
  }

  /** A heal in core's database: the change and its conflict-log entry commit together, or neither does. */
  private Future<String> inTx(UUID runId, Drift drift, java.util.function.Function<SqlConnection, Future<String>> work) {
    return pool.withTransaction(tx -> work.apply(tx).compose(outcome -> outcome.startsWith("healed")
        ? ConflictLog.record(tx, "reconcile_" + drift.kind().wire(), drift.cardId(), drift.channel(),
            logDetail(runId, drift, outcome)).map(outcome)
        : Future.succeededFuture(outcome)));
  }

  /** A heal that changed something outside core's database (the lock map, or through Engagements' own commit). */
  private Future<String> logAlone(UUID runId, Drift drift, String outcome) {
    return outcome.startsWith("healed") ? inTx(runId, drift, tx -> Future.succeededFuture(outcome))
        : Future.succeededFuture(outcome);
  }

  /** sold_but_listed → disengage; unknown_listing → withdraw: a disengage per listing the satellite shows. */
  private Future<String> withdraw(UUID runId, Channel channel, Drift drift) {
    List<JsonObject> listings = engagedListings(drift);
    Long cardId = drift.cardId();
    return inTx(runId, drift, tx -> tx.preparedQuery(LOCK_CARD).execute(Tuple.of(cardId, channel.slug))
        .compose(rows -> {
          Row card = rows.size() == 0 ? null : rows.iterator().next();
          if (drift.kind() == DriftKind.SOLD_BUT_LISTED && (card == null
              || !"sold".equals(card.getString("listing_status")))) {
            return Future.succeededFuture("skipped: the card is no longer sold");
          }
          if (drift.kind() == DriftKind.UNKNOWN_LISTING && card != null && "active".equals(card.getString("row_status"))) {
            return Future.succeededFuture("skipped: the card was engaged there meanwhile");
          }
          long satVersion = listings.stream().mapToLong(l -> l.getLong("version", 0L)).max().orElse(0L);
          Future<Long> version = card == null ? Future.succeededFuture(satVersion + 1)
              : tx.preparedQuery(BUMP_VERSION).execute(Tuple.of(cardId, satVersion))
                  .map(r -> r.iterator().next().getLong("version"));
          return version.compose(v -> {
            Future<Void> chain = Future.succeededFuture();
            for (JsonObject listing : listings) {
              chain = chain.compose(x -> Outbox.enqueue(tx, disengage(channel, cardId, listing, v)));
            }
            return chain.map("healed: disengage sent for " + listings.size() + " listing(s) at version " + v);
          });
        }));
  }

  private static OutboxMessage disengage(Channel channel, long cardId, JsonObject listing, long version) {
    String address = channel.publishAddress().orElseThrow();
    String listingKey = listing.getString("listingKey", "card:" + cardId);
    JsonObject body = new JsonObject().put("eventId", UUID.randomUUID().toString())
        .put("occurredAt", Instant.now().toString()).put("type", PublishType.DISENGAGE.wire())
        .put("listingKey", listingKey).put("cardId", cardId).put("version", version).put("reason", REASON);
    if (channel == Channel.STOREFRONT) {
      body.put("shop", listing.getString("shop"));
    }
    // the same ordering key as Publisher's, so it queues behind any earlier message about this listing
    return OutboxMessage.of(address, address + "|" + listingKey, body);
  }

  /** stale_engage / stale_snapshot → publish the card again, above the version the satellite holds. */
  private Future<String> republish(UUID runId, Channel channel, Drift drift) {
    long satVersion = satelliteVersion(drift);
    PublishType type = drift.kind() == DriftKind.STALE_SNAPSHOT ? PublishType.UPDATE : PublishType.PUBLISH;
    return inTx(runId, drift, tx -> activeUnsold(tx, channel, drift.cardId()).compose(refusal -> {
      if (refusal != null) {
        return Future.succeededFuture(refusal);
      }
      return tx.preparedQuery(BUMP_VERSION).execute(Tuple.of(drift.cardId(), satVersion))
          .compose(v -> Publisher.announce(tx, type, channel, List.of(drift.cardId()), null)
              .map("healed: " + type.wire() + " sent at version " + v.iterator().next().getLong("version")));
    }));
  }

  /** stale_engage with the operator's "clear": core's row goes inactive (the card returns to personal if free). */
  private Future<String> clear(UUID runId, Channel channel, Drift drift) {
    return inTx(runId, drift, tx -> activeUnsold(tx, channel, drift.cardId()).compose(refusal -> refusal != null
        ? Future.succeededFuture(refusal)
        : Disengagements.switchOff(tx, List.of(drift.cardId()), channel, REASON)
            .map(off -> "healed: core's " + channel.slug + " row cleared for " + off)));
  }

  private static Future<String> activeUnsold(SqlConnection tx, Channel channel, long cardId) {
    return tx.preparedQuery(LOCK_CARD).execute(Tuple.of(cardId, channel.slug)).map(rows -> {
      if (rows.size() == 0) {
        return "skipped: the card no longer exists";
      }
      Row card = rows.iterator().next();
      if ("sold".equals(card.getString("listing_status"))) {
        return "skipped: the card is sold; a sold card is never relisted";
      }
      return "active".equals(card.getString("row_status")) ? null : "skipped: no longer active on " + channel.slug;
    });
  }

  /** unknown_listing with "engage" (Forward Reconcile): core engages the card there, as the operator would. */
  private Future<String> engage(Channel channel, Drift drift) {
    List<JsonObject> listings = engagedListings(drift);
    if (listings.stream().anyMatch(l -> l.getString("lotKey") != null)) {
      return Future.succeededFuture("skipped: a lot listing; withdraw it or commit the lot by hand");
    }
    String shop = listings.isEmpty() ? null : listings.get(0).getString("shop");
    return engagements.engage(List.of(new EngageRequest(drift.cardId(), channel, null, shop, null)), false)
        .map(ids -> ids.contains(drift.cardId()) ? "healed: engaged on " + channel.slug : "skipped: nothing engaged");
  }

  /** orphan_lock → release the lockRef's locks still held. */
  private Future<String> releaseLock(Drift drift) {
    String lockRef = drift.evidence().getString("lockRef");
    return locks.release(lockRef).map(n -> n == 0 ? "skipped: already gone" : "healed: released " + n + " lock(s)");
  }

  /** paid_not_sold → core records the sale the channel was paid for, unless a card went to another order. */
  private Future<String> replayClaim(UUID runId, Channel channel, Drift drift) {
    JsonObject order = drift.evidence().getJsonObject("order");
    String claimId = order.getString("claimId") != null ? order.getString("claimId")
        : "reconcile-" + channel.slug + "-" + drift.orderRef();
    ClaimRequest claim = new ClaimRequest(claimId, channel, drift.orderRef(), null,
        DriftDetector.longs(order.getJsonArray("cardIds")), order.getLong("priceCents", 0L),
        Instant.now().plusSeconds(3600));
    return inTx(runId, drift, tx -> claims.replaySettled(tx, claim).map(reply -> "won".equals(reply.getString("outcome"))
        ? "healed: claim " + claimId + " replayed and won"
        : "failed: claim replay lost (" + reply.getString("reason") + ", " + reply.getString("winningChannel") + ")"));
  }

  /** money_mismatch between ledger and satellite → core's ledger takes the satellite's amounts (it talks to Stripe). */
  private Future<String> resyncLedger(UUID runId, Channel channel, Drift drift,
                                      Map<String, JsonObject> satelliteOrders) {
    JsonArray differing = drift.evidence().getJsonArray("orders", new JsonArray());
    List<JsonObject> toWrite = new ArrayList<>();
    int unknown = 0;
    for (int i = 0; i < differing.size(); i++) {
      JsonObject order = satelliteOrders.get(differing.getJsonObject(i).getString("orderRef"));
      if (order == null) {
        unknown++;
      } else {
        toWrite.add(order);
      }
    }
    int leftAlone = unknown;
    return inTx(runId, drift, tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (JsonObject o : toWrite) {
        chain = chain.compose(x -> resync(tx, channel, o));
      }
      return chain.map(x -> toWrite.isEmpty() ? "skipped: " + leftAlone + " ledger order(s) the satellite doesn't know"
          : "healed: " + toWrite.size() + " ledger order(s) resynced"
              + (leftAlone > 0 ? ", " + leftAlone + " unknown to the satellite left alone" : ""));
    });
  }

  private static Future<Void> resync(SqlConnection tx, Channel channel, JsonObject o) {
    Long[] cards = DriftDetector.longs(o.getJsonArray("cardIds")).toArray(new Long[0]);
    java.time.OffsetDateTime at = java.time.OffsetDateTime.parse(o.getString("updatedAt"));
    return tx.preparedQuery(RESYNC_ORDER).execute(Tuple.tuple().addString(channel.slug).addString(o.getString("orderRef"))
            .addString(o.getString("state")).addLong(o.getLong("priceCents", 0L)).addLong(o.getLong("capturedCents", 0L))
            .addLong(o.getLong("refundedCents", 0L)).addValue(cards).addString(o.getString("paymentIntentId"))
            .addValue(at))
        .compose(x -> tx.preparedQuery(RESYNC_EVENT).execute(Tuple.of(UUID.randomUUID(), channel.slug,
            o.getString("orderRef"), o.getString("state"), new JsonObject().put("reconciled", true).put("order", o))))
        .mapEmpty();
  }

  private static JsonObject logDetail(UUID runId, Drift drift, String outcome) {
    return new JsonObject().put("runId", runId.toString()).put("fix", drift.fix()).put("result", outcome)
        .put("orderRef", drift.orderRef());
  }

  /** Records a heal the satellite did itself (a lost Stripe event it settled). */
  Future<Void> logSatelliteHeal(UUID runId, Drift drift, String outcome) {
    return logAlone(runId, drift, outcome).mapEmpty();
  }

  private static List<JsonObject> engagedListings(Drift drift) {
    JsonArray entries = drift.evidence().getJsonArray("satellite", new JsonArray());
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      if (e.getBoolean("engaged", false)) {
        out.add(e);
      }
    }
    return out;
  }

  private static long satelliteVersion(Drift drift) {
    JsonArray entries = drift.evidence().getJsonArray("satellite", new JsonArray());
    long max = 0;
    for (int i = 0; i < entries.size(); i++) {
      max = Math.max(max, entries.getJsonObject(i).getLong("version", 0L));
    }
    return max;
  }

  private static String describe(Throwable e) {
    return e instanceof ApiException api ? api.code() + " " + api.getMessage() : e.toString();
  }
}
