package io.slabtrack.core.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.core.CoreFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command bridge: per-card channel states with live locks, per-channel totals, the conflict log. */
class BridgeTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void gridTotalsAndConflictLog() throws Exception {
    long a = core.createCard(CoreFixture.card("Bridge A", 1000)).getLong("id");
    long b = core.createCard(CoreFixture.card("Bridge B", 1000)).getLong("id");
    long c = core.createCard(CoreFixture.card("Bridge C", 1000)).getLong("id");
    core.post("/api/cards/" + a + "/channels/ebay", null);
    core.post("/api/cards/" + a + "/channels/storefront", new JsonObject().put("shop", "demo"));
    core.post("/api/cards/" + b + "/channels/storefront", new JsonObject().put("shop", "demo"));
    core.lock(b, "storefront", "bridge-lock-ref-01", java.time.Duration.ofMinutes(5));
    JsonObject claim = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("claimId", "bridge-1")
        .put("channel", "storefront").put("orderRef", "o-1").put("lockRef", "L0").put("cardIds", new JsonArray().add(a))
        .put("amountCents", 1000).put("authExpiresAt", Instant.now().plusSeconds(600).toString());
    core.node.vertx().eventBus().request(Addresses.CORE_SALE_CLAIM, claim,
        io.slabtrack.cluster.testing.TestTokens.busFrom(io.slabtrack.cluster.testing.TestNode.SECRET, io.slabtrack.cluster.config.AppName.STOREFRONT, io.slabtrack.cluster.config.AppName.CORE)).await(30, TimeUnit.SECONDS);

    JsonObject page1 = core.get("/api/bridge?limit=2").json();
    JsonArray cards = page1.getJsonArray("cards");
    assertThat(cards).hasSize(2);
    JsonObject rowA = cards.getJsonObject(0);
    assertThat(rowA.getLong("cardId")).isEqualTo(a);
    assertThat(rowA.getJsonObject("channels").getMap()).containsEntry("storefront", "sold").containsEntry("ebay", "inactive");
    JsonObject rowB = cards.getJsonObject(1);
    assertThat(rowB.getJsonObject("lock").getString("lockRef")).isEqualTo("bridge-lock-ref-01");
    assertThat(page1.getJsonObject("totals").getJsonObject("storefront").getLong("sold")).isEqualTo(1);
    assertThat(page1.getJsonObject("totals").getJsonObject("storefront").getLong("active")).isEqualTo(1);
    JsonObject page2 = core.get("/api/bridge?limit=2&cursor=" + page1.getLong("nextCursor")).json();
    assertThat(page2.getJsonArray("cards").getJsonObject(0).getLong("cardId")).isEqualTo(c);
    assertThat(page2.getValue("nextCursor")).isNull();
    assertThat(core.get("/api/bridge?channel=storefront").json().getJsonArray("cards")).hasSize(1);

    JsonObject log = core.get("/api/bridge/conflicts?limit=50").json();
    List<String> kinds = new ArrayList<>();
    log.getJsonArray("items").forEach(o -> kinds.add(((JsonObject) o).getString("kind")));
    assertThat(kinds).containsExactly("claim_won", "bulk_disengage"); // newest first
    JsonObject won = log.getJsonArray("items").getJsonObject(0);
    assertThat(won.getString("card")).isEqualTo("/api/cards/" + a);
    assertThat(won.getJsonObject("detail").getString("claimId")).isEqualTo("bridge-1");
    assertThat(core.get("/api/bridge/conflicts?cardId=" + b).json().getJsonArray("items")).isEmpty();
    assertThat(core.get("/api/bridge/conflicts?limit=1").json().getLong("nextCursor")).isNotNull();
    core.unlock("bridge-lock-ref-01");
  }

  /**
   * Colours from core's rows and the reconciler's stored findings. The runs are written as the reconciler stores them
   * (ReconcilerTest covers finding drift against real satellites); a later run of one channel must not hide another
   * channel's findings, and what a heal run healed is no longer drift.
   */
  @Test
  void cellsAreColouredAndFilteredAndTheDriftIndicatorNamesItsRuns() throws Exception {
    long green = core.createCard(CoreFixture.card("Colour Green", 1000)).getLong("id");
    long yellow = core.createCard(CoreFixture.card("Colour Yellow", 1000)).getLong("id");
    long red = core.createCard(CoreFixture.card("Colour Red", 1000)).getLong("id");
    long healed = core.createCard(CoreFixture.card("Colour Healed", 1000)).getLong("id");
    for (long id : List.of(green, yellow, healed)) {
      core.post("/api/cards/" + id + "/channels/thisorthat", null);
    }
    core.post("/api/cards/" + red + "/channels/ebay", null);
    // red: sold on the storefront while still active on eBay (what a lost bulk-disengage leaves behind)
    core.sql("UPDATE cards SET listing_status = 'sold', sold_channel = 'storefront' WHERE id = $1", red);
    core.sql("INSERT INTO card_channels (card_id, channel, status, shop) VALUES ($1, 'storefront', 'sold', 'demo')", red);

    UUID full = UUID.randomUUID();
    UUID storefrontOnly = UUID.randomUUID();
    core.sql("INSERT INTO reconcile_runs (id, mode, channel, trigger, status, phase, finished_at)"
        + " VALUES ($1, 'heal', NULL, 'operator', 'done', 'finished', now() - interval '1 minute')", full);
    core.sql("INSERT INTO reconcile_runs (id, mode, channel, trigger, status, phase, finished_at)"
        + " VALUES ($1, 'report', 'storefront', 'operator', 'done', 'finished', now())", storefrontOnly);
    String drift = "INSERT INTO reconcile_drift (run_id, seq, kind, channel, card_id, evidence, fix, heal)"
        + " VALUES ($1, $2, $3, $4, $5, '{}', 'x', $6)";
    core.sql(drift, full, 1, "stale_snapshot", "thisorthat", yellow, "skipped: test");
    core.sql(drift, full, 2, "stale_engage", "thisorthat", healed, "healed");
    core.sql(drift, full, 3, "sold_but_listed", "ebay", red, null);

    JsonObject all = core.get("/api/bridge?limit=500").json();
    assertThat(colour(all, green, "thisorthat")).isEqualTo("green");
    assertThat(colour(all, yellow, "thisorthat")).isEqualTo("yellow");
    assertThat(colour(all, healed, "thisorthat")).as("healed by its run: no longer drift").isEqualTo("green");
    assertThat(colour(all, red, "ebay")).isEqualTo("red");
    assertThat(colour(all, red, "storefront")).isNull();
    JsonObject tot = all.getJsonObject("totals").getJsonObject("thisorthat");
    assertThat(tot.getLong("green")).isEqualTo(2);
    assertThat(tot.getLong("yellow")).isEqualTo(1);
    assertThat(all.getJsonObject("totals").getJsonObject("ebay").getLong("red")).isEqualTo(1);
    JsonObject indicator = all.getJsonObject("drift");
    assertThat(indicator.getLong("open")).isEqualTo(2);
    assertThat(indicator.getJsonObject("runs").getJsonObject("thisorthat").getString("runId"))
        .as("the storefront-only run doesn't cover ToT").isEqualTo(full.toString());
    assertThat(indicator.getJsonObject("runs").getJsonObject("storefront").getString("runId"))
        .isEqualTo(storefrontOnly.toString());

    assertThat(ids(core.get("/api/bridge?colour=red").json())).containsExactly(red);
    assertThat(ids(core.get("/api/bridge?colour=yellow&channel=thisorthat").json())).containsExactly(yellow);
    assertThat(ids(core.get("/api/bridge?colour=yellow&channel=ebay").json())).isEmpty();
    assertThat(ids(core.get("/api/bridge?colour=green&channel=thisorthat&limit=1").json())).containsExactly(green);
    assertThat(core.get("/api/bridge?colour=purple").status()).isEqualTo(400);
  }

  private static String colour(JsonObject bridge, long cardId, String channel) {
    for (Object o : bridge.getJsonArray("cards")) {
      JsonObject card = (JsonObject) o;
      if (card.getLong("cardId") == cardId) {
        for (Object c : card.getJsonArray("cells")) {
          if (channel.equals(((JsonObject) c).getString("channel"))) {
            return ((JsonObject) c).getString("colour");
          }
        }
        throw new AssertionError("card " + cardId + " has no " + channel + " cell: " + card);
      }
    }
    throw new AssertionError("card " + cardId + " not on the page");
  }

  private static List<Long> ids(JsonObject bridge) {
    List<Long> out = new ArrayList<>();
    bridge.getJsonArray("cards").forEach(o -> out.add(((JsonObject) o).getLong("cardId")));
    return out;
  }
}
