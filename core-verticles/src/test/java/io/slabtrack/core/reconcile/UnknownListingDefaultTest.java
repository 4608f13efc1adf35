package io.slabtrack.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.bus.BusService;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * unknown_listing's default against a real core (PostgreSQL) and a stand-in ToT that answers the reconciler's
 * snapshots from a map: a listing core holds no active row for is engaged in core by default, but when core's own
 * record says the operator disengaged the card there, the default withdraws it — core's explicit decision wins over a
 * satellite's leftover row.
 */
class UnknownListingDefaultTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** What the stand-in ToT lists, by card id. */
  private static final Map<Long, JsonObject> TOT_LISTINGS = new ConcurrentHashMap<>();
  private static CoreFixture core;

  @BeforeAll
  static void start() throws Exception {
    core = CoreFixture.start(Map.of("RECONCILE_INTERVAL_MINUTES", "0"));
    var vertx = core.node.vertx();
    Future.all(
        BusService.serve(vertx, Addresses.reconcile(AppName.TOT, ReconcileSnapshot.LISTINGS),
            q -> Future.succeededFuture(page(new JsonArray(TOT_LISTINGS.values().stream().toList())))),
        BusService.serve(vertx, Addresses.reconcile(AppName.TOT, ReconcileSnapshot.ORDERS),
            q -> Future.succeededFuture(page(new JsonArray()))),
        BusService.serve(vertx, Addresses.reconcile(AppName.TOT, ReconcileSnapshot.CHECKOUTS),
            q -> Future.succeededFuture(page(new JsonArray()))),
        BusService.serve(vertx, Addresses.reconcile(AppName.TOT, ReconcileSnapshot.STRIPE),
            q -> Future.succeededFuture(new JsonObject().put("items", new JsonArray()).put("captures", new JsonArray()))))
        .await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    core.close();
  }

  @BeforeEach
  void nothingListed() {
    TOT_LISTINGS.clear();
  }

  private static JsonObject page(JsonArray items) {
    return new JsonObject().put("items", items).putNull("next");
  }

  /** ToT still shows the card engaged at core's current version (the row core's disengage never reached). */
  private static void totStillLists(long cardId) throws Exception {
    long version = core.count("SELECT version FROM cards WHERE id = $1", cardId);
    TOT_LISTINGS.put(cardId, new JsonObject().put("cardId", cardId).put("listingKey", "card:" + cardId)
        .put("engaged", true).put("version", version).put("status", "active"));
  }

  private static long engagedThenDisengagedByTheOperator(String player) throws Exception {
    long id = core.createCard(CoreFixture.card(player, 5_000)).getLong("id");
    assertThat(core.post("/api/cards/" + id + "/channels/thisorthat", new JsonObject()).status()).isEqualTo(200);
    Resp off = core.call("DELETE", "/api/cards/" + id + "/channels/thisorthat", null);
    assertThat(off.status()).as(off.body()).isEqualTo(204);
    return id;
  }

  private static JsonObject run(JsonObject body) throws Exception {
    Resp started = core.post("/api/reconciler/runs", body.put("channel", "thisorthat").put("graceSeconds", 0));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String id = started.json().getString("id");
    CoreFixture.await("run " + id + " finished", WAIT, () -> {
      try {
        return !"running".equals(core.get("/api/reconciler/runs/" + id).json().getString("status"));
      } catch (Exception e) {
        return false;
      }
    });
    JsonObject run = core.get("/api/reconciler/runs/" + id).json();
    assertThat(run.getString("status")).as(run.encodePrettily()).isEqualTo("done");
    return run;
  }

  /** The fix the run named for the card's unknown_listing. */
  private static String unknownListingFix(JsonObject run, long cardId) throws Exception {
    JsonArray items = core.get("/api/reconciler/drift?runId=" + run.getString("id")).json().getJsonArray("items");
    return items.stream().map(JsonObject.class::cast)
        .filter(d -> "unknown_listing".equals(d.getString("kind")) && d.getLong("cardId") == cardId)
        .map(d -> d.getString("fix")).findFirst()
        .orElseThrow(() -> new AssertionError("no unknown_listing for " + cardId + " in " + items.encodePrettily()));
  }

  private static String rowStatus(long cardId) throws Exception {
    var rows = core.sql("SELECT status FROM card_channels WHERE card_id = $1 AND channel = 'thisorthat'", cardId);
    return rows.iterator().next().getString("status");
  }

  @Test
  void aCardTheOperatorDisengagedIsWithdrawnFromTheSatelliteNotReengaged() throws Exception {
    long id = engagedThenDisengagedByTheOperator("Taken Off By Hand");
    totStillLists(id);

    assertThat(unknownListingFix(run(new JsonObject().put("mode", "report")), id)).isEqualTo("withdraw");

    run(new JsonObject().put("mode", "heal"));
    assertThat(rowStatus(id)).as("core's decision stands").isEqualTo("inactive");
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE card_id = $1 AND channel = 'personal' "
        + "AND status = 'active'", id)).isEqualTo(1);
    assertThat(core.count("SELECT count(*) FROM outbox WHERE payload->>'cardId' = $1 AND payload->>'type' = 'disengage' "
        + "AND payload->>'reason' = $2", String.valueOf(id), Healer.REASON)).as("a disengage on its way to ToT")
        .isEqualTo(1);
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'reconcile_unknown_listing' "
        + "AND card_id = $1", id)).isEqualTo(1);
  }

  @Test
  void theOperatorsExplicitChoiceStillWins() throws Exception {
    long id = engagedThenDisengagedByTheOperator("Engaged On Purpose");
    totStillLists(id);
    assertThat(unknownListingFix(run(new JsonObject().put("mode", "report").put("unknownListing", "engage")), id))
        .isEqualTo("engage");
  }

  @Test
  void aRowWithNoDisengageOnRecordIsStillEngagedByDefault() throws Exception {
    long id = core.createCard(CoreFixture.card("Row Lost In A Restore", 5_000)).getLong("id");
    assertThat(core.post("/api/cards/" + id + "/channels/thisorthat", new JsonObject()).status()).isEqualTo(200);
    // core lost the engagement (a restored backup): the row is inactive with no reason on record
    core.sql("UPDATE card_channels SET status = 'inactive', off_reason = NULL WHERE card_id = $1 "
        + "AND channel = 'thisorthat'", id);
    totStillLists(id);
    assertThat(unknownListingFix(run(new JsonObject().put("mode", "report")), id)).isEqualTo("engage");
  }

  @Test
  void engagingAgainClearsTheRecordedDisengage() throws Exception {
    long id = engagedThenDisengagedByTheOperator("Back On");
    assertThat(core.post("/api/cards/" + id + "/channels/thisorthat", new JsonObject()).status()).isEqualTo(200);
    assertThat(core.sql("SELECT off_reason FROM card_channels WHERE card_id = $1 AND channel = 'thisorthat'", id)
        .iterator().next().getString("off_reason")).isNull();
  }
}
