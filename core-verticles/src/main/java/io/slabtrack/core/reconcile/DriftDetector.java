package io.slabtrack.core.reconcile;

import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.core.reconcile.CoreBooks.CoreCard;
import io.slabtrack.core.reconcile.CoreBooks.LedgerEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares one satellite's snapshots with core's books and names each drift with its evidence and the fix heal mode
 * would apply. Pure: no I/O, so every rule is easy to read and to test. Anything changed after {@code cutoff} is not
 * judged (a publish, claim or ledger event may still be in an outbox on its way) — the next run will see it settled.
 */
final class DriftDetector {
  /** Satellite order states in which the buyer has paid for the cards (EVENT-BUS.md). */
  static final Set<String> SALE_STATES = Set.of("paid", "shipped", "delivered", "refunded", "partially_refunded",
      "disputed");
  private static final int MAX_LISTED_ORDERS = 100;

  private final String channel;
  private final Instant cutoff;
  private final ReconcileOptions options;

  DriftDetector(String channel, Instant cutoff, ReconcileOptions options) {
    this.channel = channel;
    this.cutoff = cutoff;
    this.options = options;
  }

  /**
   * sold_but_listed, stale_engage, unknown_listing, stale_snapshot. A card the satellite sold (in one of its paid
   * orders) is not stale_engage when core still shows it active: that is the order's paid_not_sold.
   */
  List<Drift> listings(List<JsonObject> satelliteItems, Map<Long, CoreCard> core, Set<Long> soldBySatellite) {
    Map<Long, List<JsonObject>> byCard = new TreeMap<>();
    for (JsonObject item : satelliteItems) {
      byCard.computeIfAbsent(item.getLong("cardId"), k -> new ArrayList<>()).add(item);
    }
    List<Drift> out = new ArrayList<>();
    byCard.forEach((cardId, entries) -> {
      List<JsonObject> engaged = entries.stream().filter(e -> e.getBoolean("engaged", false)).toList();
      CoreCard card = core.get(cardId);
      if (card != null && card.changedSince(cutoff)) {
        return;
      }
      JsonObject evidence = new JsonObject().put("satellite", new JsonArray(entries))
          .put("core", card == null ? null : card.toJson());
      if (!engaged.isEmpty()) {
        if (card == null) {
          out.add(new Drift(DriftKind.UNKNOWN_LISTING, channel, cardId, null,
              evidence.put("problem", "core has no such card"), "withdraw"));
        } else if (card.sold()) {
          out.add(new Drift(DriftKind.SOLD_BUT_LISTED, channel, cardId, null, evidence, "disengage"));
        } else if (!card.activeOnChannel()) {
          out.add(new Drift(DriftKind.UNKNOWN_LISTING, channel, cardId, null, evidence,
              options.unknownListingFix(card)));
        } else if (card.publishedVersion() != null
            && engaged.stream().anyMatch(e -> e.getLong("version", 0L) < card.publishedVersion())) {
          out.add(new Drift(DriftKind.STALE_SNAPSHOT, channel, cardId, null, evidence, "republish"));
        }
      } else if (card != null && card.activeOnChannel() && !card.sold() && !soldBySatellite.contains(cardId)) {
        out.add(new Drift(DriftKind.STALE_ENGAGE, channel, cardId, null, evidence, options.staleEngage()));
      }
    });
    core.values().stream()
        .filter(c -> c.activeOnChannel() && !c.sold() && !byCard.containsKey(c.id()) && !c.changedSince(cutoff)
            && !soldBySatellite.contains(c.id()))
        .sorted(java.util.Comparator.comparingLong(CoreCard::id))
        .forEach(c -> out.add(new Drift(DriftKind.STALE_ENGAGE, channel, c.id(), null,
            new JsonObject().put("satellite", new JsonArray()).put("core", c.toJson()), options.staleEngage())));
    return out;
  }

  /** paid_not_sold and money_mismatch per order; orders of a double sale are left to {@link #doubleSales}. */
  List<Drift> orders(List<JsonObject> satelliteOrders, Map<Long, CoreCard> core, Set<Long> doubleSold) {
    List<Drift> out = new ArrayList<>();
    for (JsonObject order : satelliteOrders) {
      if (updatedAt(order).isAfter(cutoff)) {
        continue;
      }
      String orderRef = order.getString("orderRef");
      List<Long> cardIds = longs(order.getJsonArray("cardIds"));
      long price = order.getLong("priceCents", 0L);
      long captured = order.getLong("capturedCents", 0L);
      long refunded = order.getLong("refundedCents", 0L);
      boolean sale = SALE_STATES.contains(order.getString("state"));
      Long firstCard = cardIds.isEmpty() ? null : cardIds.get(0);
      if (sale && cardIds.stream().noneMatch(doubleSold::contains)) {
        JsonObject coreSide = new JsonObject();
        boolean allOurs = true;
        boolean takenElsewhere = false;
        for (Long id : cardIds) {
          CoreCard card = core.get(id);
          coreSide.put(String.valueOf(id), card == null ? null : card.toJson());
          boolean ours = card != null && card.sold() && channel.equals(card.soldChannel())
              && orderRef.equals(card.soldOrderRef());
          allOurs &= ours;
          takenElsewhere |= card != null && card.sold() && !ours;
        }
        if (!allOurs) {
          out.add(new Drift(DriftKind.PAID_NOT_SOLD, channel, firstCard, orderRef,
              new JsonObject().put("order", order).put("core", coreSide),
              takenElsewhere ? Drift.NO_FIX + ": core sold a card of this order to another order; refund one by hand"
                  : "replay_claim"));
        }
      }
      String problem = null;
      if (sale && captured != price) {
        problem = "captured amount differs from the order's price";
      } else if (refunded > captured) {
        problem = "refunds exceed the capture";
      } else if (!sale && captured > 0 && !"capture_failed".equals(order.getString("state"))) {
        problem = "captured without a sale";
      }
      if (problem != null) {
        out.add(new Drift(DriftKind.MONEY_MISMATCH, channel, firstCard, orderRef,
            new JsonObject().put("problem", problem).put("order", order), Drift.NO_FIX + ": check the payment at Stripe"));
      }
    }
    return out;
  }

  /** money_mismatch per channel: core's ledger totals against the satellite's, with the orders that differ. */
  List<Drift> ledger(List<JsonObject> satelliteOrders, Map<String, LedgerEntry> ledger) {
    long satCaptured = 0;
    long satRefunded = 0;
    long ledgerCaptured = 0;
    long ledgerRefunded = 0;
    Set<String> recent = new HashSet<>();
    JsonArray differing = new JsonArray();
    int differingCount = 0;
    for (JsonObject order : satelliteOrders) {
      String ref = order.getString("orderRef");
      if (updatedAt(order).isAfter(cutoff)) {
        recent.add(ref);
        continue;
      }
      long captured = order.getLong("capturedCents", 0L);
      long refunded = order.getLong("refundedCents", 0L);
      satCaptured += captured;
      satRefunded += refunded;
      LedgerEntry entry = ledger.get(ref);
      long lc = entry == null ? 0 : entry.capturedCents();
      long lr = entry == null ? 0 : entry.refundedCents();
      if (lc != captured || lr != refunded) {
        differingCount++;
        if (differing.size() < MAX_LISTED_ORDERS) {
          differing.add(new JsonObject().put("orderRef", ref).put("satellite", new JsonObject()
                  .put("state", order.getString("state")).put("capturedCents", captured).put("refundedCents", refunded))
              .put("ledger", entry == null ? null : entry.toJson()));
        }
      }
    }
    Set<String> satRefs = new HashSet<>();
    satelliteOrders.forEach(o -> satRefs.add(o.getString("orderRef")));
    for (LedgerEntry entry : ledger.values()) {
      if (recent.contains(entry.orderRef())) {
        continue;
      }
      ledgerCaptured += entry.capturedCents();
      ledgerRefunded += entry.refundedCents();
      if (!satRefs.contains(entry.orderRef()) && (entry.capturedCents() != 0 || entry.refundedCents() != 0)) {
        differingCount++;
        if (differing.size() < MAX_LISTED_ORDERS) {
          differing.add(new JsonObject().put("orderRef", entry.orderRef()).putNull("satellite")
              .put("ledger", entry.toJson()));
        }
      }
    }
    if (differingCount == 0 && satCaptured == ledgerCaptured && satRefunded == ledgerRefunded) {
      return List.of();
    }
    JsonObject evidence = new JsonObject().put("problem", "core's ledger differs from the satellite's orders")
        .put("satellite", new JsonObject().put("capturedCents", satCaptured).put("refundedCents", satRefunded))
        .put("ledger", new JsonObject().put("capturedCents", ledgerCaptured).put("refundedCents", ledgerRefunded))
        .put("differingOrders", differingCount).put("orders", differing);
    return List.of(new Drift(DriftKind.MONEY_MISMATCH, channel, null, null, evidence, "resync_ledger"));
  }

  /** orphan_lock: a lock of this channel with no open checkout behind it, one finding per lockRef. */
  List<Drift> locks(List<SaleLock> locks, List<JsonObject> checkouts) {
    Set<String> open = new HashSet<>();
    checkouts.forEach(c -> open.add(c.getString("lockRef")));
    Map<String, List<SaleLock>> orphans = new LinkedHashMap<>();
    for (SaleLock lock : locks) {
      if (channel.equals(lock.channel()) && !open.contains(lock.lockRef()) && !lock.acquiredAt().isAfter(cutoff)) {
        orphans.computeIfAbsent(lock.lockRef(), k -> new ArrayList<>()).add(lock);
      }
    }
    List<Drift> out = new ArrayList<>();
    orphans.forEach((lockRef, held) -> {
      JsonArray cards = new JsonArray();
      held.forEach(l -> cards.add(l.cardId()));
      SaleLock first = held.get(0);
      out.add(new Drift(DriftKind.ORPHAN_LOCK, channel, first.cardId(), first.orderRef(), new JsonObject()
          .put("lockRef", lockRef).put("cardIds", cards).put("acquiredAt", first.acquiredAt().toString())
          .put("expiresAt", first.expiresAt().toString()).put("claimPending", first.claimPending())
          .put("problem", "no open checkout of the channel holds this lockRef"), "release_lock"));
    });
    return out;
  }

  /**
   * stripe_unsettled: each event the satellite never processed (already settled when it ran in heal mode); and
   * money_mismatch for money Stripe captured that no order accounts for (never auto-fixed: moving money is a
   * person's decision).
   */
  List<Drift> stripe(JsonObject reply) {
    List<Drift> out = new ArrayList<>();
    JsonArray items = reply.getJsonArray("items", new JsonArray());
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      out.add(new Drift(DriftKind.STRIPE_UNSETTLED, channel, null, item.getString("orderRef"), item,
          "settle_webhook"));
    }
    JsonArray captures = reply.getJsonArray("captures", new JsonArray());
    for (int i = 0; i < captures.size(); i++) {
      JsonObject capture = captures.getJsonObject(i);
      out.add(new Drift(DriftKind.MONEY_MISMATCH, channel, null, capture.getString("orderRef"), capture,
          Drift.NO_FIX + ": refund the capture at Stripe or record its order by hand"));
    }
    return out;
  }

  /** double_sale across every reachable channel: one card in paid orders of two orders. Never auto-fixed. */
  static List<Drift> doubleSales(Map<String, List<JsonObject>> ordersByChannel) {
    Map<Long, JsonArray> holders = new TreeMap<>();
    ordersByChannel.forEach((channel, orders) -> orders.stream()
        .filter(o -> SALE_STATES.contains(o.getString("state")))
        .forEach(o -> longs(o.getJsonArray("cardIds")).forEach(id -> holders.computeIfAbsent(id, k -> new JsonArray())
            .add(new JsonObject().put("channel", channel).put("orderRef", o.getString("orderRef"))
                .put("state", o.getString("state")).put("capturedCents", o.getLong("capturedCents", 0L))))));
    List<Drift> out = new ArrayList<>();
    holders.forEach((cardId, orders) -> {
      if (orders.size() > 1) {
        Set<String> channels = new java.util.TreeSet<>();
        orders.forEach(o -> channels.add(((JsonObject) o).getString("channel")));
        out.add(new Drift(DriftKind.DOUBLE_SALE, String.join(",", channels), cardId, null,
            new JsonObject().put("orders", orders).put("severity", "red"),
            Drift.NO_FIX + ": two paid orders hold one card; refund one buyer by hand"));
      }
    });
    return out;
  }

  /** The cards of a satellite's orders in a sale state. */
  static Set<Long> soldIn(List<JsonObject> orders) {
    Set<Long> ids = new HashSet<>();
    orders.stream().filter(o -> SALE_STATES.contains(o.getString("state")))
        .forEach(o -> ids.addAll(longs(o.getJsonArray("cardIds"))));
    return ids;
  }

  static Set<Long> cardsOf(List<Drift> drifts) {
    Set<Long> ids = new HashSet<>();
    drifts.forEach(d -> ids.add(d.cardId()));
    return ids;
  }

  private static Instant updatedAt(JsonObject order) {
    String at = order.getString("updatedAt");
    if (at == null) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(at);
    } catch (java.time.format.DateTimeParseException e) {
      return java.time.OffsetDateTime.parse(at).toInstant();
    }
  }

  static List<Long> longs(JsonArray array) {
    List<Long> out = new ArrayList<>();
    if (array != null) {
      array.forEach(o -> out.add(((Number) o).longValue()));
    }
    return out;
  }
}
