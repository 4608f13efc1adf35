package io.slabtrack.core.reconcile;

import io.slabtrack.core.channels.Disengagements;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Core's side of one channel, read once per run: every card with a row on the channel plus every other card the
 * satellite mentions, and the channel's order ledger. Plain reads, no locks: heals re-check under row locks.
 */
final class CoreBooks {
  /** One card as core sees it, with its row on the channel (null fields when it has none). */
  record CoreCard(long id, String listingStatus, long version, String soldChannel, String soldOrderRef,
                  String soldClaimId, Instant updatedAt, String rowStatus, String shop, String lotKey,
                  Instant rowUpdatedAt, Long publishedVersion, String offReason) {
    /** A card with no disengage reason on record (a row switched off before core kept one, or none at all). */
    CoreCard(long id, String listingStatus, long version, String soldChannel, String soldOrderRef, String soldClaimId,
             Instant updatedAt, String rowStatus, String shop, String lotKey, Instant rowUpdatedAt,
             Long publishedVersion) {
      this(id, listingStatus, version, soldChannel, soldOrderRef, soldClaimId, updatedAt, rowStatus, shop, lotKey,
          rowUpdatedAt, publishedVersion, null);
    }

    boolean sold() {
      return "sold".equals(listingStatus);
    }

    boolean activeOnChannel() {
      return "active".equals(rowStatus);
    }

    /** Core's own record says the operator took the card off this channel (and nobody engaged it there since). */
    boolean disengagedByOperator() {
      return "inactive".equals(rowStatus) && Disengagements.REASON_OPERATOR.equals(offReason);
    }

    /** Changed after the cutoff: a publish or claim may still be on its way, so it isn't judged this run. */
    boolean changedSince(Instant cutoff) {
      return updatedAt.isAfter(cutoff) || (rowUpdatedAt != null && rowUpdatedAt.isAfter(cutoff));
    }

    JsonObject toJson() {
      return new JsonObject().put("listingStatus", listingStatus).put("version", version)
          .put("channelStatus", rowStatus).put("soldChannel", soldChannel).put("soldOrderRef", soldOrderRef)
          .put("shop", shop).put("lotKey", lotKey).put("publishedVersion", publishedVersion)
          .put("offReason", offReason);
    }
  }

  /** An order as core's ledger has it. */
  record LedgerEntry(String orderRef, String state, long amountCents, long capturedCents, long refundedCents) {
    JsonObject toJson() {
      return new JsonObject().put("state", state).put("amountCents", amountCents)
          .put("capturedCents", capturedCents).put("refundedCents", refundedCents);
    }
  }

  static final String CARDS = """
      SELECT c.id, c.listing_status, c.version, c.sold_channel, c.sold_order_ref, c.sold_claim_id, c.updated_at,
             cc.status AS row_status, cc.shop, cc.lot_key, cc.updated_at AS row_updated_at,
             cc.published_version, cc.off_reason
      FROM cards c LEFT JOIN card_channels cc ON cc.card_id = c.id AND cc.channel = $1
      WHERE cc.card_id IS NOT NULL OR c.id = ANY($2)""";
  static final String LEDGER = """
      SELECT order_ref, state, amount_cents, coalesce(captured_cents, 0) AS captured,
             coalesce(refunded_cents, 0) AS refunded
      FROM channel_orders WHERE channel = $1""";

  private CoreBooks() {
  }

  static Future<Map<Long, CoreCard>> cards(Pool pool, String channel, Collection<Long> alsoCardIds) {
    return pool.preparedQuery(CARDS).execute(Tuple.tuple().addString(channel).addValue(alsoCardIds.toArray(new Long[0])))
        .map(rows -> {
      Map<Long, CoreCard> out = new HashMap<>(rows.size() * 2);
      for (Row r : rows) {
        out.put(r.getLong("id"), new CoreCard(r.getLong("id"), r.getString("listing_status"), r.getLong("version"),
            r.getString("sold_channel"), r.getString("sold_order_ref"), r.getString("sold_claim_id"),
            r.getOffsetDateTime("updated_at").toInstant(), r.getString("row_status"), r.getString("shop"),
            r.getString("lot_key"), r.getOffsetDateTime("row_updated_at") == null ? null
                : r.getOffsetDateTime("row_updated_at").toInstant(), r.getLong("published_version"),
            r.getString("off_reason")));
      }
      return out;
    });
  }

  static Future<Map<String, LedgerEntry>> ledger(Pool pool, String channel) {
    return pool.preparedQuery(LEDGER).execute(Tuple.of(channel)).map(rows -> {
      Map<String, LedgerEntry> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getString("order_ref"), new LedgerEntry(r.getString("order_ref"), r.getString("state"),
            r.getLong("amount_cents"), r.getLong("captured"), r.getLong("refunded")));
      }
      return out;
    });
  }
}
