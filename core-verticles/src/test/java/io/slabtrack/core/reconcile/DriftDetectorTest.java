package io.slabtrack.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.core.reconcile.CoreBooks.CoreCard;
import io.slabtrack.core.reconcile.CoreBooks.LedgerEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The comparison rules on their own: each case of the drift list, and what must not count as drift. */
class DriftDetectorTest {
  private static final Instant LONG_AGO = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant CUTOFF = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant RECENT = Instant.parse("2026-07-01T00:00:00Z");
  private final DriftDetector tot = new DriftDetector("thisorthat", CUTOFF,
      ReconcileOptions.parse(new JsonObject()));

  private static CoreCard active(long id, long version) {
    return new CoreCard(id, "listed", version, null, null, null, LONG_AGO, "active", null, null, LONG_AGO, version);
  }

  private static CoreCard sold(long id, String channel, String orderRef) {
    return new CoreCard(id, "sold", 9, channel, orderRef, "c", LONG_AGO, "inactive", null, null, LONG_AGO, 9L);
  }

  private static JsonObject listing(long cardId, boolean engaged, long version) {
    return new JsonObject().put("cardId", cardId).put("listingKey", "card:" + cardId).put("engaged", engaged)
        .put("version", version).put("status", engaged ? "active" : "withdrawn");
  }

  private static JsonObject order(String ref, String state, long price, long captured, long refunded, long... cards) {
    JsonArray ids = new JsonArray();
    for (long c : cards) {
      ids.add(c);
    }
    return new JsonObject().put("orderRef", ref).put("state", state).put("priceCents", price)
        .put("capturedCents", captured).put("refundedCents", refunded).put("cardIds", ids)
        .put("updatedAt", LONG_AGO.toString());
  }

  private static List<String> kinds(List<Drift> drifts) {
    return drifts.stream().map(d -> d.kind().wire() + ":" + d.cardId()).toList();
  }

  @Test
  void listingsAgreeingWithCoreAreNotDrift() {
    assertThat(tot.listings(List.of(listing(1, true, 3)), Map.of(1L, active(1, 3)), Set.of())).isEmpty();
  }

  @Test
  void eachListingDriftIsNamed() {
    Map<Long, CoreCard> core = Map.of(1L, sold(1, "storefront", "o1"), 2L, active(2, 5), 3L, active(3, 7),
        4L, new CoreCard(4, "personal", 2, null, null, null, LONG_AGO, "inactive", null, null, LONG_AGO, 2L));
    List<Drift> found = tot.listings(List.of(listing(1, true, 9), listing(3, true, 6), listing(4, true, 2),
        listing(5, true, 1)), core, Set.of());
    assertThat(kinds(found)).containsExactlyInAnyOrder("sold_but_listed:1", "stale_snapshot:3",
        "unknown_listing:4", "unknown_listing:5", "stale_engage:2");
    assertThat(found.stream().filter(d -> d.cardId() == 5).findFirst().orElseThrow().fix()).isEqualTo("withdraw");
    assertThat(found.stream().filter(d -> d.cardId() == 4).findFirst().orElseThrow().fix()).isEqualTo("engage");
  }

  @Test
  void aWithdrawnEntryBesideALiveOneIsFineAndRecentChangesWait() {
    CoreCard moving = new CoreCard(2, "listed", 5, null, null, null, RECENT, "active", null, null, RECENT, 5L);
    assertThat(tot.listings(List.of(listing(1, false, 2), listing(1, true, 4)), Map.of(1L, active(1, 4),
        2L, moving), Set.of())).isEmpty();
  }

  @Test
  void aVersionCoreNeverPublishedThereIsNotAStaleSnapshot() {
    // engaging another channel bumps the card's version; this satellite was never sent that version
    CoreCard bumped = new CoreCard(1, "listed", 4, null, null, null, LONG_AGO, "active", null, null, LONG_AGO, 3L);
    assertThat(tot.listings(List.of(listing(1, true, 3)), Map.of(1L, bumped), Set.of())).isEmpty();
    assertThat(kinds(tot.listings(List.of(listing(1, true, 2)), Map.of(1L, bumped), Set.of())))
        .containsExactly("stale_snapshot:1");
  }

  @Test
  void aCardTheSatelliteSoldIsTheOrdersDriftNotAStaleEngage() {
    assertThat(tot.listings(List.of(listing(1, false, 3)), Map.of(1L, active(1, 3)), Set.of(1L))).isEmpty();
    assertThat(kinds(tot.orders(List.of(order("o1", "paid", 100, 100, 0, 1)), Map.of(1L, active(1, 3)), Set.of())))
        .containsExactly("paid_not_sold:1");
  }

  @Test
  void aPaidOrderWhoseCardCoreSoldElsewhereIsNeverReplayed() {
    List<Drift> found = tot.orders(List.of(order("o1", "paid", 100, 100, 0, 1)),
        Map.of(1L, sold(1, "storefront", "x")), Set.of());
    assertThat(found).hasSize(1);
    assertThat(found.get(0).fixable()).isFalse();
  }

  @Test
  void moneyRulesPerOrder() {
    Map<Long, CoreCard> core = Map.of(1L, sold(1, "thisorthat", "o1"), 2L, sold(2, "thisorthat", "o2"),
        3L, active(3, 1));
    List<Drift> found = tot.orders(List.of(order("o1", "paid", 100, 90, 0, 1),
        order("o2", "refunded", 100, 100, 150, 2), order("o3", "cancelled", 100, 100, 0, 3),
        order("o4", "cancelled", 100, 0, 0, 3)), core, Set.of());
    assertThat(found).extracting(Drift::orderRef).containsExactly("o1", "o2", "o3");
    assertThat(found).allMatch(d -> d.kind() == DriftKind.MONEY_MISMATCH && !d.fixable());
  }

  @Test
  void theLedgerIsComparedPerChannelAndRecentOrdersWait() {
    JsonObject recent = order("o9", "paid", 50, 50, 0, 9).put("updatedAt", RECENT.toString());
    List<JsonObject> orders = List.of(order("o1", "paid", 100, 100, 0, 1), recent);
    assertThat(tot.ledger(orders, Map.of("o1", new LedgerEntry("o1", "paid", 100, 100, 0)))).isEmpty();
    List<Drift> found = tot.ledger(orders, Map.of("o1", new LedgerEntry("o1", "paid", 100, 100, 0),
        "o7", new LedgerEntry("o7", "paid", 30, 30, 0)));
    assertThat(found).hasSize(1);
    assertThat(found.get(0).evidence().getJsonObject("ledger").getLong("capturedCents")).isEqualTo(130);
    assertThat(found.get(0).evidence().getJsonObject("satellite").getLong("capturedCents")).isEqualTo(100);
  }

  @Test
  void aLockIsOrphanOnlyWithoutAnOpenCheckoutAndOnceOldEnough() {
    SaleLock held = new SaleLock(1, "thisorthat", "ref-held", "p1", LONG_AGO, RECENT, false);
    SaleLock orphan = new SaleLock(2, "thisorthat", "ref-orphan", "p2", LONG_AGO, RECENT, false);
    SaleLock young = new SaleLock(3, "thisorthat", "ref-young", "p3", RECENT, RECENT, false);
    SaleLock other = new SaleLock(4, "storefront", "ref-shop", "o4", LONG_AGO, RECENT, false);
    List<Drift> found = tot.locks(List.of(held, orphan, young, other),
        List.of(new JsonObject().put("lockRef", "ref-held")));
    assertThat(found).extracting(d -> d.evidence().getString("lockRef")).containsExactly("ref-orphan");
  }

  @Test
  void twoPaidOrdersForOneCardAreADoubleSaleAcrossChannels() {
    List<Drift> found = DriftDetector.doubleSales(Map.of(
        "thisorthat", List.of(order("p1", "paid", 100, 100, 0, 7), order("p2", "cancelled", 100, 0, 0, 8)),
        "storefront", List.of(order("o1", "shipped", 100, 100, 0, 7), order("o2", "paid", 100, 100, 0, 8))));
    assertThat(kinds(found)).containsExactly("double_sale:7");
    assertThat(found.get(0).channel()).isEqualTo("storefront,thisorthat");
    assertThat(found.get(0).fixable()).isFalse();
  }
}
