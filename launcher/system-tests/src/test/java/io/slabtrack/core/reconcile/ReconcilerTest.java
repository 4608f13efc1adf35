package io.slabtrack.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.metrics.NodeMetrics;
import io.slabtrack.cluster.salelock.AcquireRequest;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.slabtrack.storefront.StorefrontApp;
import io.slabtrack.tot.TotApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against the real core, ToT and Storefront on one node, with the Stripe simulator. Each test starts
 * from a system with no drift, injects one kind of drift straight into one app's database, the lock map or the
 * simulator (a manual edit, a lost claim, a lost webhook), and checks that a report names exactly that drift, that
 * heal fixes it (through the normal paths: outbox publishes, the claim decider, the webhook code) and that a second
 * run finds nothing.
 */
class ReconcilerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TOT_WEBHOOK_SECRET = "whsec_test_tot";
  private static final String SHOP = "recon-shop";
  private static StripeSimFixture sim;
  private static CoreFixture core;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    core = CoreFixture.start(Map.of("STRIPE_SIMULATOR", "true", "STRIPE_API_BASE", sim.simulator.baseUrl(),
        "TOT_STRIPE_WEBHOOK_SECRET", TOT_WEBHOOK_SECRET, "RECONCILE_INTERVAL_MINUTES", "0"),
        new TotApp(), new StorefrontApp());
    node = core.node;
    sim.control("/_sim/webhook_endpoints", new JsonObject().put("url", node.url(AppName.TOT, "/api/stripe/webhook"))
        .put("secret", TOT_WEBHOOK_SECRET));
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", node.url(AppName.STOREFRONT, "/api/stripe/webhook"))
        .put("secret", StripeSettings.DEV_STOREFRONT_WEBHOOK_SECRET).put("connect", false));
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", node.url(AppName.STOREFRONT, "/api/stripe/connect/webhook"))
        .put("secret", StripeSettings.DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET).put("connect", true));
    assertThat(call(AppName.STOREFRONT, "POST", "/api/storefronts",
        new JsonObject().put("slug", SHOP).put("name", "Recon shop")).status()).isEqualTo(201);
    Resp link = call(AppName.STOREFRONT, "POST", "/api/storefronts/" + SHOP + "/stripe/onboarding", null);
    sim.http.getAbs(link.json().getString("url")).followRedirects(false).send().await();
    CoreFixture.await("shop connected", WAIT,
        () -> quietly(AppName.STOREFRONT, "/api/storefronts/" + SHOP).json().getBoolean("acceptingOrders", false));
  }

  @AfterAll
  static void stop() throws Exception {
    core.close();
    sim.close();
  }

  @BeforeEach
  void noDriftBefore() throws Exception {
    quiet();
    JsonObject run = report();
    assertThat(run.getJsonObject("counts").getInteger("total")).as("drift left over: %s", driftOf(run)).isZero();
  }

  @AfterEach
  void noRunLeftRunning() throws Exception {
    assertThat(core.count("SELECT count(*) FROM reconcile_runs WHERE status = 'running'")).isZero();
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private static Resp call(AppName app, String method, String path, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(app, path))).timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + TestTokens.operator(TestNode.SECRET, app));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> r = CoreFixture.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Resp(r.statusCode(), r.body());
  }

  private static Resp quietly(AppName app, String path) {
    try {
      return call(app, "GET", path, null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long sqlLong(AppName app, String sql, Object... params) throws Exception {
    return node.count(app, sql, params);
  }

  private static String sqlText(AppName app, String sql, Object... params) {
    try {
      var rows = node.sql(app, sql, params);
      return rows.size() == 0 ? null : String.valueOf(rows.iterator().next().getValue(0));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Every outbox of the three apps has delivered what it holds: nothing is on its way. */
  private static void quiet() throws InterruptedException {
    CoreFixture.await("outboxes drained", WAIT, () -> List.of(AppName.CORE, AppName.TOT, AppName.STOREFRONT).stream()
        .allMatch(app -> {
          try {
            return sqlLong(app, "SELECT count(*) FROM outbox WHERE status = 'pending'") == 0;
          } catch (Exception e) {
            return false;
          }
        }));
  }

  private static JsonObject run(JsonObject body) throws Exception {
    Resp started = call(AppName.CORE, "POST", "/api/reconciler/runs", body.put("graceSeconds", 0));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String id = started.json().getString("id");
    CoreFixture.await("run " + id + " finished", Duration.ofSeconds(120),
        () -> !"running".equals(quietly(AppName.CORE, "/api/reconciler/runs/" + id).json().getString("status")));
    JsonObject run = quietly(AppName.CORE, "/api/reconciler/runs/" + id).json();
    assertThat(run.getString("status")).as(run.encodePrettily()).isEqualTo("done");
    return run;
  }

  private static JsonObject report() throws Exception {
    return run(new JsonObject().put("mode", "report"));
  }

  private static JsonObject heal() throws Exception {
    return run(new JsonObject().put("mode", "heal"));
  }

  private static JsonArray driftOf(JsonObject run) {
    return quietly(AppName.CORE, "/api/reconciler/drift?runId=" + run.getString("id")).json().getJsonArray("items");
  }

  /** The run found exactly {@code n} drifts, all of {@code kind}; returns them. */
  private static JsonArray exactly(JsonObject run, String kind, int n) {
    JsonObject counts = run.getJsonObject("counts");
    JsonArray items = driftOf(run);
    assertThat(counts.getInteger(kind)).as("%s in %s", kind, items.encodePrettily()).isEqualTo(n);
    assertThat(counts.getInteger("total")).as("only %s: %s", kind, items.encodePrettily()).isEqualTo(n);
    return items;
  }

  private static long card(String player, long price) throws Exception {
    return core.createCard(CoreFixture.card(player, price)).getLong("id");
  }

  private static void engageTot(long cardId) throws Exception {
    assertThat(call(AppName.CORE, "POST", "/api/cards/" + cardId + "/channels/thisorthat", new JsonObject()).status())
        .isEqualTo(200);
    CoreFixture.await("listed in ToT", WAIT, () -> "ACTIVE".equals(sqlText(AppName.TOT,
        "SELECT status FROM listings WHERE listing_key = $1", "card:" + cardId)));
  }

  private static void engageShop(long cardId) throws Exception {
    assertThat(call(AppName.CORE, "POST", "/api/cards/" + cardId + "/channels/storefront",
        new JsonObject().put("shop", SHOP)).status()).isEqualTo(200);
    CoreFixture.await("listed in the shop", WAIT, () -> "true".equals(sqlText(AppName.STOREFRONT,
        "SELECT listed FROM storefront_cards WHERE slabtrack_card_id = $1", cardId)));
  }

  private static long coreVersion(long cardId) throws Exception {
    return sqlLong(AppName.CORE, "SELECT version FROM cards WHERE id = $1", cardId);
  }

  /** A paid Storefront order as the Storefront would hold it after a sale (its card marked sold in the shop). */
  private static String paidShopOrder(long cardId, long cents) throws Exception {
    return paidShopOrder("ord_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), cardId, cents);
  }

  private static String paidShopOrder(String id, long cardId, long cents) throws Exception {
    node.sql(AppName.STOREFRONT, """
        INSERT INTO orders (id, shop_slug, state, email, shipping_address, card_ids, amount_cents,
          application_fee_cents, lock_ref, claim_id, payment_intent_id, captured_cents, buyer_token)
        VALUES ($1, $2, 'paid', 'b@example.com', '{"name":"B"}'::jsonb, ARRAY[$3::bigint], $4, 0, $5, $6, $7, $4, 'tok')""",
        id, SHOP, cardId, cents, "lock_" + id, "claim_" + id, "pi_" + id);
    node.sql(AppName.STOREFRONT, "INSERT INTO order_items (order_id, card_id, price_cents, snapshot) "
        + "VALUES ($1, $2, $3, '{}'::jsonb)", id, cardId, cents);
    node.sql(AppName.STOREFRONT, "UPDATE storefront_cards SET status = 'sold' WHERE slabtrack_card_id = $1", cardId);
    return id;
  }

  private static void ledgerRow(String channel, String orderRef, long cardId, long cents) throws Exception {
    node.sql(AppName.CORE, """
        INSERT INTO channel_orders (channel, order_ref, state, amount_cents, captured_cents, card_ids, last_event_at)
        VALUES ($1, $2, 'paid', $3, $3, ARRAY[$4::bigint], now())""", channel, orderRef, cents, cardId);
  }

  // ---- the drift kinds -------------------------------------------------------------------------------------------

  @Test
  void aConsistentSystemHasNoDriftAndTheRunShowsWhatItRead() throws Exception {
    long a = card("Consistent A", 1_000);
    long b = card("Consistent B", 2_000);
    engageTot(a);
    engageShop(a);
    engageShop(b);
    quiet();
    JsonObject run = report();
    assertThat(run.getJsonObject("counts").getInteger("total")).as(driftOf(run).encodePrettily()).isZero();
    JsonObject channels = run.getJsonObject("channels");
    assertThat(channels.getJsonObject("thisorthat").getBoolean("reachable")).isTrue();
    assertThat(channels.getJsonObject("storefront").getBoolean("reachable")).isTrue();
    assertThat(channels.getJsonObject("storefront").getInteger("listings")).isGreaterThanOrEqualTo(2);
    assertThat(run.getInteger("cardsChecked")).isGreaterThanOrEqualTo(2);
    for (var kind : DriftKind.values()) {
      assertThat(run.getJsonObject("counts").getInteger(kind.wire())).as(kind.wire()).isZero();
    }
    // the run's end is a public event, committed with it
    assertThat(sqlLong(AppName.CORE, "SELECT count(*) FROM outbox WHERE address = 'public.reconcile.finished'"
        + " AND payload->>'runId' = $1 AND payload->>'status' = 'done' AND (payload->>'driftTotal')::int = 0",
        run.getString("id"))).isEqualTo(1);
  }

  @Test
  void soldButListedIsDisengagedAndNeverRelisted() throws Exception {
    long id = card("Sold Elsewhere", 3_000);
    engageTot(id);
    quiet();
    // a manual edit in core: sold on eBay, without the disengage ever being sent
    node.sql(AppName.CORE, "UPDATE card_channels SET status = 'inactive' WHERE card_id = $1 AND channel = 'thisorthat'",
        id);
    node.sql(AppName.CORE, "INSERT INTO card_channels (card_id, channel, status) VALUES ($1, 'ebay', 'sold')", id);
    node.sql(AppName.CORE, "UPDATE cards SET listing_status = 'sold', sold_channel = 'ebay', sold_order_ref = 'ebay-1',"
        + " sold_at = now() WHERE id = $1", id);

    double foundBefore = driftFound("sold_but_listed");
    double healedBefore = heals("sold_but_listed", "healed");
    JsonArray found = exactly(report(), "sold_but_listed", 1);
    assertThat(driftFound("sold_but_listed") - foundBefore).as("slabtrack_reconciler_drift_found_total").isEqualTo(1);
    assertThat(lastRunDrift("sold_but_listed")).isEqualTo(1);
    assertThat(found.getJsonObject(0).getLong("cardId")).isEqualTo(id);
    assertThat(found.getJsonObject(0).getString("channel")).isEqualTo("thisorthat");
    assertThat(found.getJsonObject(0).getString("fix")).isEqualTo("disengage");
    assertThat(sqlText(AppName.TOT, "SELECT status FROM listings WHERE listing_key = $1", "card:" + id))
        .as("report mode changes nothing").isEqualTo("ACTIVE");

    JsonObject healed = heal();
    assertThat(healed.getInteger("healed")).isEqualTo(1);
    assertThat(heals("sold_but_listed", "healed") - healedBefore).as("slabtrack_reconciler_heals_total").isEqualTo(1);
    CoreFixture.await("withdrawn in ToT", WAIT, () -> "WITHDRAWN".equals(sqlText(AppName.TOT,
        "SELECT status FROM listings WHERE listing_key = $1", "card:" + id)));
    assertThat(sqlText(AppName.CORE, "SELECT listing_status FROM cards WHERE id = $1", id)).isEqualTo("sold");
    assertThat(sqlLong(AppName.CORE, "SELECT count(*) FROM conflict_log WHERE kind = 'reconcile_sold_but_listed' "
        + "AND card_id = $1", id)).isEqualTo(1);
    quiet();
    assertThat(report().getJsonObject("counts").getInteger("total")).isZero();
    assertThat(lastRunDrift("sold_but_listed")).as("the last run found none").isZero();
  }

  /** Operators' runs (this test's) as the metrics count them. */
  private static double driftFound(String kind) {
    return NodeMetrics.registry(node.vertx()).get("slabtrack.reconciler.drift.found")
        .tags("trigger", "operator", "kind", kind).counter().count();
  }

  private static double lastRunDrift(String kind) {
    return NodeMetrics.registry(node.vertx()).get("slabtrack.reconciler.last.run.drift")
        .tags("trigger", "operator", "kind", kind).gauge().value();
  }

  private static double heals(String kind, String outcome) {
    return NodeMetrics.registry(node.vertx()).get("slabtrack.reconciler.heals").tags("kind", kind, "outcome", outcome)
        .counter().count();
  }

  @Test
  void staleEngageIsRepublished() throws Exception {
    long id = card("Lost In The Shop", 4_000);
    engageShop(id);
    quiet();
    node.sql(AppName.STOREFRONT, "DELETE FROM storefront_cards WHERE slabtrack_card_id = $1", id);

    JsonArray found = exactly(report(), "stale_engage", 1);
    assertThat(found.getJsonObject(0).getLong("cardId")).isEqualTo(id);
    assertThat(found.getJsonObject(0).getString("fix")).isEqualTo("republish");

    assertThat(heal().getInteger("healed")).isEqualTo(1);
    CoreFixture.await("back in the shop", WAIT, () -> "true".equals(sqlText(AppName.STOREFRONT,
        "SELECT listed FROM storefront_cards WHERE slabtrack_card_id = $1", id)));
    assertThat(sqlLong(AppName.STOREFRONT, "SELECT version FROM storefront_cards WHERE slabtrack_card_id = $1", id))
        .isEqualTo(coreVersion(id));
    quiet();
    assertThat(report().getJsonObject("counts").getInteger("total")).isZero();
  }

  @Test
  void staleEngageCanBeClearedInCoreInstead() throws Exception {
    long id = card("Clear Me", 4_100);
    engageTot(id);
    quiet();
    node.sql(AppName.TOT, "UPDATE listings SET status = 'WITHDRAWN' WHERE listing_key = $1", "card:" + id);
    exactly(report(), "stale_engage", 1);

    JsonObject cleared = run(new JsonObject().put("mode", "heal").put("staleEngage", "clear"));
    assertThat(cleared.getInteger("healed")).isEqualTo(1);
    assertThat(sqlText(AppName.CORE, "SELECT status FROM card_channels WHERE card_id = $1 AND channel = 'thisorthat'",
        id)).isEqualTo("inactive");
    assertThat(sqlText(AppName.CORE, "SELECT listing_status FROM cards WHERE id = $1", id)).isEqualTo("personal");
    quiet();
    assertThat(report().getJsonObject("counts").getInteger("total")).isZero();
  }

  @Test
  void unknownListingIsEngagedInCoreByDefault() throws Exception {
    long id = card("Forward Reconcile", 5_000);
    engageTot(id);
    quiet();
    // core forgot the engagement (a restored backup): the card rests in personal while ToT offers it
    node.sql(AppName.CORE, "UPDATE card_channels SET status = 'inactive' WHERE card_id = $1 AND channel = 'thisorthat'",
        id);
    node.sql(AppName.CORE, "INSERT INTO card_channels (card_id, channel, status) VALUES ($1, 'personal', 'active') "
        + "ON CONFLICT (card_id, channel) DO UPDATE SET status = 'active'", id);
    node.sql(AppName.CORE, "UPDATE cards SET listing_status = 'personal' WHERE id = $1", id);

    JsonArray found = exactly(report(), "unknown_listing", 1);
    assertThat(found.getJsonObject(0).getString("fix")).isEqualTo("engage");

    assertThat(heal().getInteger("healed")).isEqualTo(1);
    assertThat(sqlText(AppName.CORE, "SELECT status FROM card_channels WHERE card_id = $1 AND channel = 'thisorthat'",
        id)).isEqualTo("active");
    quiet();
    assertThat(report().getJsonObject("counts").getInteger("total")).isZero();
  }

  @Test
  void unknownListingCanBeWithdrawnInstead() throws Exception {
    long id = card("Withdraw Me", 5_100);
    engageShop(id);
    quiet();
    node.sql(AppName.CORE, "UPDATE card_channels SET status = 'inactive' WHERE card_id = $1 AND channel = 'storefront'",
        id);
    node.sql(AppName.CORE, "INSERT INTO card_channels (card_id, channel, status) VALUES ($1, 'personal', 'active') "
        + "ON CONFLICT (card_id, channel) DO UPDATE SET status = 'active'", id);
    node.sql(AppName.CORE, "UPDATE cards SET listing_status = 'personal' WHERE id = $1", id);
    exactly(report(), "unknown_listing", 1);

    JsonObject report = run(new JsonObject().put("mode", "report").put("unknownListing", "withdraw"));
    assertThat(driftOf(report).getJsonObject(0).getString("fix")).isEqualTo("withdraw");
    assertThat(run(new JsonObject().put("mode", "heal").put("unknownListing", "withdraw")).getInteger("healed"))
        .isEqualTo(1);
    CoreFixture.await("taken out of the shop", WAIT, () -> "false".equals(sqlText(AppName.STOREFRONT,
        "SELECT listed FROM storefront_cards WHERE slabtrack_card_id = $1", id)));
    assertThat(sqlText(AppName.CORE, "SELECT listing_status FROM cards WHERE id = $1", id)).isEqualTo("personal");
    quiet();
    assertThat(report().getJsonObject("counts").getInteger("total")).isZero();
  }

  @Test
  void staleSnapshotIsRepublishedButACustomPriceIsNotDrift() throws Exception {
    long id = card("Old Snapshot", 6_000);
    long priced = card("Custom Priced", 6_100);
    engageShop(id);
    engageShop(priced);
    quiet();
    node.sql(AppName.STOREFRONT, "UPDATE storefront_cards SET custom_price = 999 WHERE slabtrack_card_id = $1", priced);
    node.sql(AppName.STOREFRONT, "UPDATE storefront_cards SET version = version - 1, "
        + "snapshot = jsonb_set(snapshot, '{player}', '\"Old Name\"') WHERE slabtrack_card_id = $1", id);

    JsonArray found = exactly(report(), "stale_snapshot", 1);
    assertThat(found.getJsonObject(0).getLong("cardId")).isEqualTo(id);

    assertThat(heal().getInteger("healed")).isEqualTo(1);
    CoreFixture.await("snapshot current", WAIT, () -> {
      try {
        return sqlLong(AppName.STOREFRONT, "SELECT version FROM storefront_cards WHERE slabtrack_card_id = $1", id)
            == coreVersion(id);
      } catch (Exception e) {
        return false;
      }
    });
    assertThat(sqlText(AppName.STOREFRONT, "SELECT snapshot->>'player' FROM storefront_cards "
        + "WHERE slabtrack_card_id = $1", id)).isEqualTo("Old Snapshot");
    quiet();
    assertThat(report().getJsonObject("counts").getInteger("total")).isZero();
  }

  @Test
  void orphanLockIsReleased() throws Exception {
    long id = card("Orphan Lock", 7_000);
    engageShop(id);
    quiet();
    String lockRef = "orphan-" + UUID.randomUUID().toString().replace("-", "");
    node.runtime(AppName.CORE).context().saleLocks().acquire(new AcquireRequest(List.of(id), "storefront", lockRef,
        "no-such-order", Duration.ofMinutes(10))).await(30, TimeUnit.SECONDS);

    JsonArray found = exactly(report(), "orphan_lock", 1);
    assertThat(found.getJsonObject(0).getJsonObject("evidence").getString("lockRef")).isEqualTo(lockRef);
    assertThat(node.runtime(AppName.CORE).context().saleLocks().locksOf(lockRef).await(30, TimeUnit.SECONDS))
        .as("report mode keeps the lock").hasSize(1);

    assertThat(heal().getInteger("healed")).isEqualTo(1);
    assertThat(node.runtime(AppName.CORE).context().saleLocks().locksOf(lockRef).await(30, TimeUnit.SECONDS)).isEmpty();
    assertThat(report().getJsonObject("counts").getInteger("total")).isZero();
  }

  @Test
  void paidNotSoldReplaysTheLostClaim() throws Exception {
    long id = card("Lost Claim", 8_000);
    engageShop(id);
    engageTot(id);
    quiet();
    // the Storefront sold it and reported it to the ledger, but core's claim decision was lost
    String order = paidShopOrder(id, 8_000);
    ledgerRow("storefront", order, id, 8_000);

    JsonArray found = exactly(report(), "paid_not_sold", 1);
    assertThat(found.getJsonObject(0).getString("orderRef")).isEqualTo(order);
    assertThat(found.getJsonObject(0).getString("fix")).isEqualTo("replay_claim");
    assertThat(sqlText(AppName.CORE, "SELECT listing_status FROM cards WHERE id = $1", id)).isEqualTo("listed");

    assertThat(heal().getInteger("healed")).isEqualTo(1);
    assertThat(sqlText(AppName.CORE, "SELECT sold_channel || ':' || sold_order_ref FROM cards WHERE id = $1", id))
        .isEqualTo("storefront:" + order);
    assertThat(sqlLong(AppName.CORE, "SELECT sold_price_cents FROM cards WHERE id = $1", id)).isEqualTo(8_000);
    // the sale took the card off ToT, as a live claim would have
    CoreFixture.await("withdrawn in ToT", WAIT, () -> "WITHDRAWN".equals(sqlText(AppName.TOT,
        "SELECT status FROM listings WHERE listing_key = $1", "card:" + id)));
    quiet();
    assertThat(report().getJsonObject("counts").getInteger("total")).isZero();
  }

  @Test
  void aDoubleSaleIsFlaggedRedAndNeverTouched() throws Exception {
    long id = card("Double Sale", 9_000);
    engageShop(id);
    quiet();
    String first = paidShopOrder(id, 9_000);
    ledgerRow("storefront", first, id, 9_000);
    String second = "ord_second_" + id;
    node.sql(AppName.STOREFRONT, """
        INSERT INTO orders (id, shop_slug, state, email, shipping_address, card_ids, amount_cents,
          application_fee_cents, lock_ref, claim_id, payment_intent_id, captured_cents, buyer_token)
        VALUES ($1, $2, 'paid', 'c@example.com', '{"name":"C"}'::jsonb, ARRAY[$3::bigint], 9000, 0, $4, $5, $6, 9000,
          'tok')""", second, SHOP, id, "lock_" + second, "claim_" + second, "pi_" + second);
    ledgerRow("storefront", second, id, 9_000);
    try {
      JsonArray found = exactly(report(), "double_sale", 1);
      JsonObject drift = found.getJsonObject(0);
      assertThat(drift.getLong("cardId")).isEqualTo(id);
      assertThat(drift.getJsonObject("evidence").getString("severity")).isEqualTo("red");
      assertThat(drift.getJsonObject("evidence").getJsonArray("orders")).hasSize(2);
      assertThat(drift.getString("fix")).startsWith("none");

      JsonObject healRun = heal();
      assertThat(healRun.getInteger("healed")).isZero();
      assertThat(driftOf(healRun).getJsonObject(0).getString("heal")).startsWith("skipped");
      assertThat(sqlText(AppName.CORE, "SELECT listing_status FROM cards WHERE id = $1", id))
          .as("never auto-fixed: core is left as it was").isEqualTo("listed");
    } finally {
      node.sql(AppName.STOREFRONT, "DELETE FROM order_items WHERE card_id = $1", id);
      node.sql(AppName.STOREFRONT, "DELETE FROM orders WHERE $1 = ANY(card_ids)", id);
      node.sql(AppName.STOREFRONT, "UPDATE storefront_cards SET status = 'active' WHERE slabtrack_card_id = $1", id);
      node.sql(AppName.CORE, "DELETE FROM channel_orders WHERE $1 = ANY(card_ids)", id);
    }
  }

  @Test
  void aLedgerThatDisagreesWithTheSatelliteIsResynced() throws Exception {
    long id = card("Ledger Drift", 10_000);
    engageShop(id);
    quiet();
    String order = paidShopOrder(id, 10_000);
    ledgerRow("storefront", order, id, 10_000);
    assertThat(heal().getInteger("healed")).as("the sale is recorded first").isEqualTo(1);
    quiet();
    assertThat(report().getJsonObject("counts").getInteger("total")).isZero();
    // a refund the ledger never heard of
    node.sql(AppName.STOREFRONT, "UPDATE orders SET refunded_cents = 2500 WHERE id = $1", order);

    JsonArray found = exactly(report(), "money_mismatch", 1);
    JsonObject evidence = found.getJsonObject(0).getJsonObject("evidence");
    assertThat(evidence.getJsonObject("satellite").getLong("refundedCents")
        - evidence.getJsonObject("ledger").getLong("refundedCents")).isEqualTo(2_500);
    assertThat(found.getJsonObject(0).getString("fix")).isEqualTo("resync_ledger");

    assertThat(heal().getInteger("healed")).isEqualTo(1);
    assertThat(sqlLong(AppName.CORE, "SELECT refunded_cents FROM channel_orders WHERE order_ref = $1", order))
        .isEqualTo(2_500);
    assertThat(report().getJsonObject("counts").getInteger("total")).isZero();
  }

  @Test
  void anOrderCapturedForTheWrongAmountIsReportedAndLeftToAPerson() throws Exception {
    long id = card("Wrong Capture", 11_000);
    engageShop(id);
    quiet();
    String order = paidShopOrder(id, 11_000);
    ledgerRow("storefront", order, id, 11_000);
    heal();
    quiet();
    node.sql(AppName.STOREFRONT, "UPDATE orders SET captured_cents = 10000 WHERE id = $1", order);
    node.sql(AppName.CORE, "UPDATE channel_orders SET captured_cents = 10000 WHERE order_ref = $1", order);

    JsonArray found = exactly(report(), "money_mismatch", 1);
    assertThat(found.getJsonObject(0).getString("orderRef")).isEqualTo(order);
    assertThat(found.getJsonObject(0).getString("fix")).startsWith("none");
    JsonObject healRun = heal();
    assertThat(healRun.getInteger("healed")).isZero();
    node.sql(AppName.STOREFRONT, "UPDATE orders SET captured_cents = 11000 WHERE id = $1", order);
    node.sql(AppName.CORE, "UPDATE channel_orders SET captured_cents = 11000 WHERE order_ref = $1", order);
  }

  @Test
  void aLostStripeWebhookIsSettledThroughTheWebhookPath() throws Exception {
    long id = card("Lost Webhook", 12_000);
    engageShop(id);
    quiet();
    Resp checkout = call(AppName.STOREFRONT, "POST", "/api/storefronts/" + SHOP + "/checkout", new JsonObject()
        .put("cardIds", new JsonArray().add(id)).put("email", "buyer@example.com")
        .put("shippingAddress", new JsonObject().put("name", "B").put("line1", "1 St").put("city", "Austin")
            .put("postalCode", "78701").put("country", "US")));
    assertThat(checkout.status()).as(checkout.body()).isEqualTo(201);
    String orderId = checkout.json().getString("orderId");
    String session = sqlText(AppName.STOREFRONT, "SELECT checkout_session_id FROM orders WHERE id = $1", orderId);
    sim.control("/_sim/webhooks/hold", new JsonObject());
    try {
      assertThat(sim.control("/_sim/checkout/" + session + "/pay", new JsonObject()).statusCode()).isEqualTo(200);
      JsonObject report = report();
      JsonArray found = driftOf(report);
      assertThat(report.getJsonObject("counts").getInteger("stripe_unsettled")).as(found.encodePrettily())
          .isPositive();
      assertThat(report.getJsonObject("counts").getInteger("total"))
          .isEqualTo(report.getJsonObject("counts").getInteger("stripe_unsettled"));
      assertThat(found.getJsonObject(0).getString("orderRef")).isEqualTo(orderId);
      assertThat(sqlText(AppName.STOREFRONT, "SELECT state FROM orders WHERE id = $1", orderId)).isEqualTo("pending");

      JsonObject healRun = heal();
      assertThat(healRun.getInteger("healed")).isPositive();
      CoreFixture.await("order paid", WAIT, () -> "paid".equals(sqlText(AppName.STOREFRONT,
          "SELECT state FROM orders WHERE id = $1", orderId)));
      assertThat(sqlText(AppName.CORE, "SELECT sold_order_ref FROM cards WHERE id = $1", id)).isEqualTo(orderId);
    } finally {
      // the late deliveries arrive now: every one of them is a replay
      sim.control("/_sim/webhooks/release", new JsonObject());
    }
    quiet();
    CoreFixture.await("no drift after the late deliveries", WAIT, () -> {
      try {
        return report().getJsonObject("counts").getInteger("total") == 0;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(sqlText(AppName.STOREFRONT, "SELECT state FROM orders WHERE id = $1", orderId)).isEqualTo("paid");
    assertThat(sqlLong(AppName.STOREFRONT, "SELECT captured_cents FROM orders WHERE id = $1", orderId))
        .isEqualTo(12_000);
  }

  /** A paid ToT order as ToT would hold it after winning the claim and capturing (its listing completed). */
  private static void paidTotOrder(String orderId, long cardId, long cents) throws Exception {
    String play = "play-" + orderId;
    node.sql(AppName.TOT, """
        INSERT INTO plays (id, game, status, request_hash, lock_ref, listing_ids, options, card_ids, email,
          shipping_address, card_value, amount, seed_hash, server_seed_sealed, payment_intent_id)
        VALUES ($1, 'FLIP', 'SETTLED', 'h', $2, '{}', '[]'::jsonb, ARRAY[$3::bigint], 'p@example.com',
          '{"name":"P"}'::jsonb, $4, $4, 's', 'x', $5)""", play, "lock-" + play, cardId, cents, "pi_" + orderId);
    node.sql(AppName.TOT, """
        INSERT INTO orders (id, play_id, status, claim_id, card_ids, amount, captured_cents, email, shipping_address,
          status_token, payment_intent_id)
        VALUES ($1, $2, 'paid', $3, ARRAY[$4::bigint], $5, $5, 'p@example.com', '{"name":"P"}'::jsonb, 't', $6)""",
        orderId, play, "claim-" + orderId, cardId, cents, "pi_" + orderId);
    node.sql(AppName.TOT, "UPDATE listings SET status = 'COMPLETED' WHERE listing_key = $1", "card:" + cardId);
  }

  /** Sends a claim without waiting, so every claim of the race is in flight at once. */
  private static io.vertx.core.Future<JsonObject> claim(String channel, String orderRef, long cardId, long cents) {
    JsonObject body = new JsonObject().put("eventId", UUID.randomUUID().toString())
        .put("occurredAt", java.time.Instant.now().toString()).put("claimId", "claim-" + orderRef)
        .put("channel", channel).put("orderRef", orderRef).putNull("lockRef").put("cardIds", new JsonArray().add(cardId))
        .put("amountCents", cents).put("authExpiresAt", java.time.Instant.now().plusSeconds(3600).toString());
    return node.vertx().eventBus().<JsonObject>request(io.slabtrack.cluster.bus.Addresses.CORE_SALE_CLAIM, body,
            io.slabtrack.cluster.testing.TestTokens.busFrom(io.slabtrack.cluster.testing.TestNode.SECRET,
                io.slabtrack.cluster.bus.ChannelOwners.appOf(channel).orElseThrow(), AppName.CORE))
        .map(m -> m.body().put("channel", channel).put("orderRef", orderRef).put("cardId", cardId));
  }

  /**
   * The promise itself: both channels claim every card at the same moment through core's real claim path; each
   * channel then does what it does with the answer (the winner captures and records its paid order, the loser
   * cancels). The reconciler, reading both satellites, finds no double sale and no sale core doesn't know.
   */
  @Test
  void racingClaimsOnEveryCardLeaveNoDoubleSaleForTheReconcilerToFind() throws Exception {
    int cards = 12;
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < cards; i++) {
      long id = card("Race " + i, 2_000 + i);
      engageTot(id);
      engageShop(id);
      ids.add(id);
    }
    quiet();
    List<io.vertx.core.Future<JsonObject>> answers = new java.util.ArrayList<>();
    for (long id : ids) {
      for (String channel : List.of("thisorthat", "storefront")) {
        answers.add(claim(channel, (channel.equals("thisorthat") ? "tot-race-" : "ord-race-") + id, id, 2_000));
      }
    }
    io.vertx.core.Future.all(answers).await(60, TimeUnit.SECONDS);
    int won = 0;
    for (var answer : answers) {
      JsonObject a = answer.result();
      if ("won".equals(a.getString("outcome"))) {
        won++;
        long id = a.getLong("cardId");
        if (a.getString("channel").equals("thisorthat")) {
          paidTotOrder(a.getString("orderRef"), id, 2_000);
        } else {
          paidShopOrder(a.getString("orderRef"), id, 2_000);
        }
        ledgerRow(a.getString("channel"), a.getString("orderRef"), id, 2_000);
      }
    }
    assertThat(won).as("one winner per card").isEqualTo(cards);
    quiet();
    JsonObject run = report();
    assertThat(run.getJsonObject("counts").getInteger("double_sale")).isZero();
    assertThat(run.getJsonObject("counts").getInteger("total")).as(driftOf(run).encodePrettily()).isZero();
    assertThat(sqlLong(AppName.CORE, "SELECT count(*) FROM cards WHERE id = ANY($1) AND listing_status = 'sold'",
        (Object) ids.toArray(new Long[0]))).isEqualTo(cards);
  }

  // ---- faults and the API ---------------------------------------------------------------------------------------

  @Test
  void aSatelliteDownIsMarkedUnreachableAndNothingIsHealedThere() throws Exception {
    long id = card("While ToT Is Down", 13_000);
    engageTot(id);
    quiet();
    node.sql(AppName.TOT, "UPDATE listings SET status = 'WITHDRAWN' WHERE listing_key = $1", "card:" + id);
    long versionBefore = coreVersion(id);
    node.stopApp(AppName.TOT);
    try {
      JsonObject run = heal();
      JsonObject tot = run.getJsonObject("channels").getJsonObject("thisorthat");
      assertThat(tot.getBoolean("reachable")).isFalse();
      assertThat(tot.getString("error")).isNotBlank();
      assertThat(run.getJsonObject("channels").getJsonObject("storefront").getBoolean("reachable")).isTrue();
      assertThat(run.getJsonObject("counts").getInteger("total")).isZero();
      assertThat(coreVersion(id)).as("nothing republished").isEqualTo(versionBefore);
      assertThat(sqlLong(AppName.CORE, "SELECT count(*) FROM outbox WHERE address = 'tot.cards.publish' "
          + "AND status = 'pending'")).isZero();
    } finally {
      node.startApp(new TotApp());
    }
    exactly(report(), "stale_engage", 1);
    heal();
    quiet();
  }

  @Test
  void oneRunAtATimeAndBadInputIsRefused() throws Exception {
    Resp bad = call(AppName.CORE, "POST", "/api/reconciler/runs", new JsonObject().put("mode", "fix"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(call(AppName.CORE, "POST", "/api/reconciler/runs", new JsonObject().put("channel", "ebay")).status())
        .isEqualTo(400);
    assertThat(call(AppName.CORE, "POST", "/api/reconciler/runs", new JsonObject().put("graceSeconds", -1)).status())
        .isEqualTo(400);
    assertThat(call(AppName.CORE, "GET", "/api/reconciler/runs/not-a-uuid", null).status()).isEqualTo(400);
    assertThat(call(AppName.CORE, "GET", "/api/reconciler/runs/" + UUID.randomUUID(), null).status()).isEqualTo(404);
    assertThat(call(AppName.CORE, "GET", "/api/reconciler/drift?kind=bogus", null).status()).isEqualTo(400);
    assertThat(core.call("POST", "/api/reconciler/runs", new JsonObject(), null).status()).isEqualTo(401);

    UUID busy = UUID.randomUUID();
    node.sql(AppName.CORE, "INSERT INTO reconcile_runs (id, mode, trigger, status) VALUES ($1, 'report', 'operator', "
        + "'running')", busy);
    try {
      Resp refused = call(AppName.CORE, "POST", "/api/reconciler/runs", new JsonObject());
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().getJsonObject("details").getString("runId")).isEqualTo(busy.toString());
      // a run whose node died (no heartbeat for minutes) doesn't block the next one
      node.sql(AppName.CORE, "UPDATE reconcile_runs SET heartbeat_at = now() - interval '10 minutes' WHERE id = $1",
          busy);
      assertThat(report().getString("status")).isEqualTo("done");
      assertThat(sqlText(AppName.CORE, "SELECT status FROM reconcile_runs WHERE id = $1", busy)).isEqualTo("failed");
    } finally {
      node.sql(AppName.CORE, "DELETE FROM reconcile_runs WHERE id = $1", busy);
    }
  }

  @Test
  void theLatestFindingsAreReadableByKind() throws Exception {
    long id = card("By Kind", 14_000);
    engageShop(id);
    quiet();
    node.sql(AppName.STOREFRONT, "DELETE FROM storefront_cards WHERE slabtrack_card_id = $1", id);
    JsonObject run = report();
    JsonArray recent = quietly(AppName.CORE, "/api/reconciler/runs?limit=3").json().getJsonArray("items");
    assertThat(recent).hasSize(3);
    assertThat(recent.getJsonObject(0).getString("id")).as("newest first").isEqualTo(run.getString("id"));
    assertThat(call(AppName.CORE, "GET", "/api/reconciler/runs?limit=0", null).status()).isEqualTo(400);
    JsonObject latest = quietly(AppName.CORE, "/api/reconciler/drift?kind=stale_engage").json();
    assertThat(latest.getJsonObject("run").getString("id")).isEqualTo(run.getString("id"));
    assertThat(latest.getJsonArray("items")).hasSize(1);
    assertThat(latest.getJsonArray("items").getJsonObject(0).getLong("cardId")).isEqualTo(id);
    assertThat(quietly(AppName.CORE, "/api/reconciler/drift?kind=orphan_lock").json().getJsonArray("items")).isEmpty();
    heal();
    quiet();
  }
}
