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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The command bridge: per-card channel states with live locks, per-channel totals, the conflict log. */
class BridgeTest {
  private static CoreFixture core;

  @BeforeAll
  static void start() throws Exception {
    core = CoreFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    core.close();
  }

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
}
