package io.slabtrack.tot.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.tot.PaidPlays;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code tot.reconcile.orders} and {@code tot.reconcile.checkouts} against plays paid end to end. */
class ReconcileOrdersTest {
  private static PaidPlays plays;
  private static TotFixture tot;

  @BeforeAll
  static void start() throws Exception {
    plays = new PaidPlays(60_000);
    tot = plays.tot;
  }

  @AfterAll
  static void stop() throws Exception {
    plays.close();
  }

  /** Every entry of a snapshot, page by page, checking the cursor order and the last page's null next. */
  private static List<JsonObject> walk(ReconcileSnapshot snapshot, String key, int limit) throws Exception {
    List<JsonObject> all = new ArrayList<>();
    String after = null;
    do {
      JsonObject page = Reconcile.bus(tot, snapshot, new JsonObject().put("after", after).put("limit", limit));
      assertThat(page.getJsonArray("items").size()).isLessThanOrEqualTo(limit);
      page.getJsonArray("items").forEach(o -> all.add((JsonObject) o));
      after = page.getString("next");
      if (after != null) {
        assertThat(page.getJsonArray("items")).hasSize(limit);
        assertThat(after).isEqualTo(all.get(all.size() - 1).getString(key));
      }
    } while (after != null);
    List<String> keys = all.stream().map(i -> i.getString(key)).toList();
    assertThat(keys).doesNotHaveDuplicates();
    return all;
  }

  private static JsonObject find(List<JsonObject> items, String key, String value) {
    return items.stream().filter(i -> value.equals(i.getString(key))).findFirst()
        .orElseThrow(() -> new AssertionError(key + " " + value + " not in " + items));
  }

  @Test
  void aSettledPlaysOrderShowsItsAmountsStripeIdsAndTheOrderRefToTSendsCore() throws Exception {
    String orderId = plays.paidFlip(2_500);
    Row o = tot.sql("""
        SELECT o.*, p.amount AS authorized, p.outcome_amount, p.lock_ref, p.id AS play
        FROM orders o JOIN plays p ON p.id = o.play_id WHERE o.id = $1""", orderId).iterator().next();
    PaymentIntent pi = plays.sim.client.v1().paymentIntents().retrieve(o.getString("payment_intent_id"));

    JsonObject item = find(walk(ReconcileSnapshot.ORDERS, "orderRef", 500), "orderRef", orderId);
    assertThat(item.getString("state")).isEqualTo("paid");
    assertThat(item.getJsonArray("cardIds").getList()).containsExactly(((Number) o.getArrayOfLongs("card_ids")[0])
        .longValue());
    // what the buyer owes is what was captured at Stripe: the play's outcome amount, not the authorized maximum
    assertThat(item.getLong("priceCents")).isEqualTo(o.getLong("outcome_amount")).isEqualTo(pi.getAmountReceived());
    assertThat(item.getLong("capturedCents")).isEqualTo(pi.getAmountReceived());
    assertThat(item.getLong("authorizedCents")).isEqualTo(o.getLong("authorized")).isEqualTo(pi.getAmount());
    assertThat(item.getLong("refundedCents")).isZero();
    assertThat(item.getString("paymentIntentId")).isEqualTo(pi.getId());
    assertThat(item.getString("chargeId")).isEqualTo(pi.getLatestCharge()).startsWith("ch_");
    assertThat(item.getString("claimId")).isEqualTo("tot-claim-" + o.getString("play"));
    assertThat(item.getString("lockRef")).isEqualTo(o.getString("lock_ref"));
    assertThat(Instant.parse(item.getString("createdAt"))).isBeforeOrEqualTo(Instant.parse(item.getString("updatedAt")));
    // the same orderRef as in the claim and the ledger event core received
    assertThat(plays.claims.stream().filter(c -> c.getString("claimId").equals(item.getString("claimId")))
        .map(c -> c.getString("orderRef"))).isNotEmpty().allMatch(orderId::equals);
    // the ledger event travels through ToT's outbox: it may land just after the snapshot was read
    io.slabtrack.cluster.testing.Poll.until("core's ledger has the order paid", java.time.Duration.ofSeconds(20),
        () -> plays.ledger.stream().anyMatch(e -> orderId.equals(e.getString("orderRef"))
            && "paid".equals(e.getString("state"))));
    assertThat(plays.ledger.stream().filter(e -> orderId.equals(e.getString("orderRef"))).map(e -> e.getString("state")))
        .contains("paid");
  }

  @Test
  void ordersPageByOrderIdEachExactlyOnce() throws Exception {
    List<String> ids = List.of(plays.paidFlip(2_000), plays.paidFlip(2_100), plays.paidFlip(2_200));
    List<JsonObject> items = walk(ReconcileSnapshot.ORDERS, "orderRef", 2);
    assertThat(items.stream().map(i -> i.getString("orderRef"))).containsAll(ids)
        .hasSize((int) tot.count("SELECT count(*) FROM orders"));
    JsonObject page = Reconcile.http(tot, ReconcileSnapshot.ORDERS, "?limit=1").json();
    assertThat(page.getJsonArray("items")).hasSize(1);
    assertThat(page.getString("next")).isEqualTo(page.getJsonArray("items").getJsonObject(0).getString("orderRef"));
  }

  @Test
  void checkoutsListCommittedAndAwaitingPlaysWithTheOrderRefOnTheirSaleLocks() throws Exception {
    long listing = plays.single(3_000);
    String committed = plays.commit("flip", listing);
    Row play = tot.sql("SELECT lock_ref, card_ids FROM plays WHERE id = $1", committed).iterator().next();
    long card = play.getArrayOfLongs("card_ids")[0];

    // a second play revealed but waiting for core (its claim deferred): awaiting_confirmation
    long awaitingListing = plays.single(3_500);
    long awaitingCard = tot.sql("SELECT card_id FROM listing_cards WHERE listing_id = $1", awaitingListing).iterator()
        .next().getLong(0);
    plays.deferClaims.add(awaitingCard);
    String awaiting = plays.commit("flip", awaitingListing);
    plays.authorize(awaiting);
    PaidPlays.await("revealed", () -> plays.playStatus(awaiting).equals("AWAITING_CONFIRMATION"));
    String paidOrder = plays.paidFlip(2_600);
    String paidLockRef = tot.sql("SELECT p.lock_ref FROM plays p JOIN orders o ON o.play_id = p.id WHERE o.id = $1",
        paidOrder).iterator().next().getString(0);

    List<JsonObject> items = walk(ReconcileSnapshot.CHECKOUTS, "lockRef", 1);
    JsonObject item = find(items, "lockRef", play.getString("lock_ref"));
    assertThat(item.getString("orderRef")).isEqualTo(committed);
    assertThat(item.getString("state")).isEqualTo("committed");
    assertThat(item.getJsonArray("cardIds").getList()).containsExactly(card);
    assertThat(Instant.parse(item.getString("createdAt"))).isBefore(Instant.now());
    assertThat(find(items, "orderRef", awaiting).getString("state")).isEqualTo("awaiting_confirmation");
    assertThat(items.stream().map(i -> i.getString("lockRef"))).doesNotContain(paidLockRef)
        .hasSize((int) tot.count("SELECT count(*) FROM plays WHERE status IN ('COMMITTED', 'AWAITING_CONFIRMATION')"));

    // core compares its sale-locks with this list: the lock's lockRef and orderRef are the entry's
    Map<Long, SaleLock> locks = tot.node.runtime(AppName.TOT).context().saleLocks().holders(List.of(card))
        .await(10, TimeUnit.SECONDS);
    assertThat(locks.get(card).lockRef()).isEqualTo(item.getString("lockRef"));
    assertThat(locks.get(card).orderRef()).isEqualTo(item.getString("orderRef"));
    plays.deferClaims.remove(awaitingCard);
    PaidPlays.await("settled once core answers", () -> plays.playStatus(awaiting).equals("SETTLED"));
  }
}
