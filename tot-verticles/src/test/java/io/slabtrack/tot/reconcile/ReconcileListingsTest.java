package io.slabtrack.tot.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tot.reconcile.listings} over 2,500 bulk-loaded singles plus real ingests (a lot, and a card both in a
 * withdrawn single and a live lot); bad paging; the operator routes need an operator session.
 */
class ReconcileListingsTest {
  private static final long BULK_FIRST = 100_001;
  private static final int BULK = 2_500;
  private static TotFixture tot;

  @BeforeAll
  static void start() throws Exception {
    tot = TotFixture.start(Map.of("STRIPE_SIMULATOR", "false")); // no Stripe at all: the check says so
    // volume straight into the tables (ingest is tested elsewhere); every 10th withdrawn, card versions 3
    tot.sql("""
        INSERT INTO listings (listing_key, kind, status, version, card_value, spread, win_price, lose_price,
                              flip_eligible, pull_eligible)
        SELECT 'card:' || g, 'single', CASE WHEN g % 10 = 0 THEN 'WITHDRAWN' ELSE 'ACTIVE' END, 3, 1000, 0.1,
               900, 1100, true, true
        FROM generate_series($1::bigint, $2::bigint) g""", BULK_FIRST, BULK_FIRST + BULK - 1);
    tot.sql("""
        INSERT INTO listing_cards (listing_id, card_id, version, price, snapshot)
        SELECT id, substring(listing_key FROM 6)::bigint, 3, 1000, '{}'::jsonb FROM listings
        WHERE listing_key LIKE 'card:%'""");
    // real ingests: card 200001 first listed alone, withdrawn, then published in a lot with 200002
    tot.ingest(TotFixture.single("publish", 200_001, 1, 2_000));
    tot.ingest(TotFixture.single("disengage", 200_001, 2, 2_000).put("reason", "lotted"));
    tot.ingest(TotFixture.lot("publish", "box-7", 4, 200_001, 2_000, 200_002, 3_000));
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
  }

  /** Walks every page; checks each card's entries come in one page and the cursor only moves forward. */
  private static List<JsonObject> walk(int limit, boolean overHttp) throws Exception {
    List<JsonObject> all = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    String after = null;
    int pages = 0;
    do {
      JsonObject body = new JsonObject().put("limit", limit).put("after", after);
      JsonObject page = overHttp ? Reconcile.http(tot, ReconcileSnapshot.LISTINGS, "?limit=" + limit
          + (after == null ? "" : "&after=" + after)).json() : Reconcile.bus(tot, ReconcileSnapshot.LISTINGS, body);
      assertThat(page.getString("channel")).isEqualTo("thisorthat");
      Set<Long> cardsOfPage = new HashSet<>();
      long previous = after == null ? 0 : Long.parseLong(after);
      for (Object o : page.getJsonArray("items")) {
        JsonObject item = (JsonObject) o;
        long card = item.getLong("cardId");
        assertThat(card).as("card order").isGreaterThanOrEqualTo(previous);
        previous = card;
        assertThat(seen).as("card %d in an earlier page", card).doesNotContain(card);
        cardsOfPage.add(card);
        all.add(item);
      }
      assertThat(cardsOfPage.size()).isLessThanOrEqualTo(limit);
      after = page.getString("next");
      if (after != null) {
        assertThat(cardsOfPage).hasSize(limit);
        assertThat(Long.parseLong(after)).isEqualTo(previous);
      }
      seen.addAll(cardsOfPage);
      pages++;
      assertThat(pages).as("pages").isLessThan(10_000);
    } while (after != null);
    return all;
  }

  @Test
  void everyCardComesExactlyOnceAcrossSmallPagesAndTheLastPageHasNoNext() throws Exception {
    List<JsonObject> items = walk(97, false);
    Map<Long, List<JsonObject>> byCard = new HashMap<>();
    items.forEach(i -> byCard.computeIfAbsent(i.getLong("cardId"), k -> new ArrayList<>()).add(i));
    long cardsInDb = tot.count("SELECT count(DISTINCT card_id) FROM listing_cards");
    assertThat(cardsInDb).isEqualTo(BULK + 2);
    assertThat(byCard).hasSize(BULK + 2);
    for (long card = BULK_FIRST; card < BULK_FIRST + BULK; card++) {
      List<JsonObject> entries = byCard.get(card);
      assertThat(entries).as("card %d", card).hasSize(1);
      JsonObject e = entries.get(0);
      boolean withdrawn = card % 10 == 0;
      assertThat(e.getString("listingKey")).isEqualTo("card:" + card);
      assertThat(e.getString("status")).isEqualTo(withdrawn ? "withdrawn" : "active");
      assertThat(e.getBoolean("engaged")).isEqualTo(!withdrawn);
      assertThat(e.getLong("version")).isEqualTo(3);
      assertThat(e.getValue("lotKey")).isNull();
      assertThat(e.containsKey("shop")).isTrue();
      assertThat(e.getValue("shop")).isNull();
      assertThat(e.getValue("listingId")).isInstanceOf(String.class);
    }
  }

  @Test
  void aLotsCardsCarryTheLotKeyAndACardInAWithdrawnSingleAndALiveLotComesWhole() throws Exception {
    // a limit of 1 card: both entries of card 200001 must still come in the same page
    JsonObject page = Reconcile.bus(tot, ReconcileSnapshot.LISTINGS, new JsonObject().put("after", "200000")
        .put("limit", 1));
    assertThat(page.getString("next")).isEqualTo("200001");
    List<JsonObject> entries = page.getJsonArray("items").stream().map(o -> (JsonObject) o).toList();
    assertThat(entries).hasSize(2).allSatisfy(e -> assertThat(e.getLong("cardId")).isEqualTo(200_001));
    JsonObject single = entries.stream().filter(e -> e.getString("listingKey").equals("card:200001")).findFirst()
        .orElseThrow();
    JsonObject lot = entries.stream().filter(e -> e.getString("listingKey").equals("lot:box-7")).findFirst()
        .orElseThrow();
    assertThat(single.getString("status")).isEqualTo("withdrawn");
    assertThat(single.getBoolean("engaged")).isFalse();
    assertThat(single.getValue("lotKey")).isNull();
    assertThat(single.getLong("version")).isEqualTo(1);
    assertThat(lot.getString("status")).isEqualTo("active");
    assertThat(lot.getBoolean("engaged")).isTrue();
    assertThat(lot.getString("lotKey")).isEqualTo("box-7");
    assertThat(lot.getLong("version")).isEqualTo(4);
    String lotId = String.valueOf(tot.sql("SELECT id FROM listings WHERE listing_key = 'lot:box-7'").iterator().next()
        .getLong(0));
    assertThat(lot.getString("listingId")).isEqualTo(lotId);

    JsonObject last = Reconcile.http(tot, ReconcileSnapshot.LISTINGS, "?after=200001&limit=5").json();
    assertThat(last.getJsonArray("items")).hasSize(1);
    assertThat(last.getJsonArray("items").getJsonObject(0).getLong("cardId")).isEqualTo(200_002);
    assertThat(last.getJsonArray("items").getJsonObject(0).getString("lotKey")).isEqualTo("box-7");
    assertThat(last.containsKey("next")).isTrue();
    assertThat(last.getValue("next")).isNull();
  }

  @Test
  void aPageHoldingExactlyTheLastCardsSaysThereIsNoMore() throws Exception {
    JsonObject all = Reconcile.bus(tot, ReconcileSnapshot.LISTINGS, new JsonObject().put("after", 102_000)
        .put("limit", 502));
    assertThat(all.getJsonArray("items").stream().map(o -> ((JsonObject) o).getLong("cardId")).distinct().count())
        .isEqualTo(502); // 102001..102500 and the two lot cards
    assertThat(all.getValue("next")).isNull();
  }

  @Test
  void theOperatorSeesTheSamePagesOverHttp() throws Exception {
    List<JsonObject> items = walk(1000, true);
    assertThat(items.stream().map(i -> i.getLong("cardId")).distinct().count()).isEqualTo(BULK + 2);
  }

  @Test
  void badPagingIsA400OnHttpAndOnTheBus() throws Exception {
    for (String q : List.of("?limit=0", "?limit=1001", "?limit=abc", "?limit=-3", "?limit=2.5")) {
      Reconcile.httpRejects(tot, ReconcileSnapshot.LISTINGS, q, "limit");
    }
    Reconcile.httpRejects(tot, ReconcileSnapshot.LISTINGS, "?after=card:5", "after");
    Reconcile.httpRejects(tot, ReconcileSnapshot.ORDERS, "?limit=0", "limit");
    Reconcile.httpRejects(tot, ReconcileSnapshot.CHECKOUTS, "?limit=5000", "limit");
    Reconcile.busRejects(tot, ReconcileSnapshot.LISTINGS, new JsonObject().put("limit", 0), "limit");
    Reconcile.busRejects(tot, ReconcileSnapshot.LISTINGS, new JsonObject().put("limit", "ten"), "limit");
    Reconcile.busRejects(tot, ReconcileSnapshot.LISTINGS, new JsonObject().put("limit", 2.5), "limit");
    Reconcile.busRejects(tot, ReconcileSnapshot.LISTINGS, new JsonObject().put("after", "x"), "after");
    Reconcile.busRejects(tot, ReconcileSnapshot.LISTINGS, new JsonObject().put("after", new JsonObject()), "after");
    Reconcile.busRejects(tot, ReconcileSnapshot.ORDERS, new JsonObject().put("limit", 1001), "limit");
    Reconcile.busRejects(tot, ReconcileSnapshot.CHECKOUTS, new JsonObject().put("after", true), "after");
  }

  @Test
  void theHttpRoutesNeedAnOperatorSession() throws Exception {
    for (ReconcileSnapshot s : ReconcileSnapshot.values()) {
      String path = "/api/reconcile/" + s.id();
      assertThat(tot.call("GET", path, null, null).status()).as(path).isEqualTo(401);
      assertThat(tot.call("GET", path, null, tot.service).status()).as(path).isEqualTo(401);
    }
    assertThat(tot.call("POST", "/api/reconcile/stripe", new JsonObject(), null).status()).isEqualTo(401);
    assertThat(Reconcile.http(tot, ReconcileSnapshot.CHECKOUTS, "").status()).isEqualTo(200);
  }

  @Test
  void withoutStripeConfiguredTheStripeCheckSaysSoAndStillRejectsBadInput() throws Exception {
    JsonObject reply = Reconcile.bus(tot, ReconcileSnapshot.STRIPE, new JsonObject().put("mode", "heal"));
    assertThat(reply.getBoolean("configured")).isFalse();
    assertThat(reply.getJsonArray("items")).isEmpty();
    assertThat(reply.containsKey("next")).isTrue();
    assertThat(reply.getValue("next")).isNull();
    assertThat(reply.getString("channel")).isEqualTo("thisorthat");
    Reconcile.busRejects(tot, ReconcileSnapshot.STRIPE, new JsonObject().put("mode", "fix"), "mode");
    Reconcile.busRejects(tot, ReconcileSnapshot.STRIPE, new JsonObject().put("sinceDays", 31), "sinceDays");
    Reconcile.httpRejects(tot, ReconcileSnapshot.STRIPE, "?mode=HEAL", "mode");
  }
}
