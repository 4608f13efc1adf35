package io.slabtrack.core.cards;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.core.CoreFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The price audit's bulk actions: per-card reports, the rounding rule, the no-comp mark, the conflict log. */
class PriceAuditActionsTest {
  private static final String FRESH = Instant.now().minus(1, ChronoUnit.DAYS).toString();
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  private static JsonObject priced(String player, Long asking, long psa10) {
    JsonObject c = new JsonObject().put("player", player).put("gradingCompany", "PSA").put("grade", 10)
        .put("sportscardsproPsa10", psa10).put("compsRefreshedAt", FRESH);
    return asking == null ? c : c.put("askingPrice", asking);
  }

  private static Map<Long, JsonObject> byCard(JsonObject report) {
    Map<Long, JsonObject> out = new HashMap<>();
    report.getJsonArray("results").forEach(o -> out.put(((JsonObject) o).getLong("cardId"), (JsonObject) o));
    return out;
  }

  @Test
  void roundingIsToTheNearestDollarHalvesUpNeverBelowOne() {
    assertThat(PriceAuditActions.roundToDollar(4_249)).isEqualTo(4_200);
    assertThat(PriceAuditActions.roundToDollar(4_250)).isEqualTo(4_300);
    assertThat(PriceAuditActions.roundToDollar(4_299)).isEqualTo(4_300);
    assertThat(PriceAuditActions.roundToDollar(30)).isEqualTo(100);
  }

  @Test
  void setPriceFromCompOverIdsReportsEveryCardAndLogsTheChanges() throws Exception {
    long over = core.createCard(priced("Audit Over", 20_000L, 4_249)).getLong("id");
    long under = core.createCard(priced("Audit Under", 1_000L, 4_250)).getLong("id");
    long atComp = core.createCard(priced("Audit Equal", 5_000L, 5_000)).getLong("id");
    long onlyAsking = core.createCard(new JsonObject().put("player", "Audit Asking").put("askingPrice", 700)
        .put("compsRefreshedAt", FRESH)).getLong("id");
    long missing = 9_999_999L;
    core.post("/api/cards/" + over + "/channels/storefront", new JsonObject().put("shop", "demo"));
    long logBefore = core.count("SELECT count(*) FROM conflict_log WHERE kind = 'price_audit'");

    JsonObject dry = core.post("/api/pricing/audit/actions", new JsonObject().put("action", "set_price_from_comp")
        .put("cardIds", new JsonArray(List.of(over, under, atComp, onlyAsking, missing))).put("dryRun", true)).json();
    assertThat(dry.getJsonObject("counts").getInteger("changed")).isEqualTo(2);
    assertThat(core.get("/api/cards/" + over).json().getLong("askingPrice")).as("a dry run changes nothing")
        .isEqualTo(20_000);

    var r = core.post("/api/pricing/audit/actions", new JsonObject().put("action", "set_price_from_comp")
        .put("cardIds", new JsonArray(List.of(over, under, atComp, onlyAsking, missing))));
    assertThat(r.status()).isEqualTo(200);
    JsonObject report = r.json();
    assertThat(report.getString("rounding")).isEqualTo("nearest_dollar");
    assertThat(report.getJsonObject("counts").getMap()).containsEntry("changed", 2).containsEntry("unchanged", 1)
        .containsEntry("skipped", 1).containsEntry("not_found", 1);
    Map<Long, JsonObject> results = byCard(report);
    assertThat(results.get(over).getLong("askingPrice")).isEqualTo(4_200);
    assertThat(results.get(over).getJsonObject("before").getJsonArray("auditFlags")).contains("over");
    assertThat(results.get(over).getJsonObject("after").getJsonArray("auditFlags")).isEmpty();
    assertThat(results.get(under).getLong("askingPrice")).isEqualTo(4_300);
    assertThat(results.get(atComp).getString("reason")).isEqualTo("already_at_comp");
    assertThat(results.get(onlyAsking).getString("reason")).isEqualTo("no_market_comp");
    assertThat(results.get(missing).getString("outcome")).isEqualTo("not_found");

    JsonObject card = core.get("/api/cards/" + over).json();
    assertThat(card.getLong("askingPrice")).isEqualTo(4_200);
    assertThat(card.getLong("version")).as("a changed card gets a new version").isGreaterThan(2);
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'price_audit'") - logBefore).isEqualTo(2);
    JsonObject entry = core.get("/api/bridge/conflicts?cardId=" + over).json().getJsonArray("items").getJsonObject(0);
    assertThat(entry.getString("kind")).isEqualTo("price_audit");
    assertThat(entry.getJsonObject("detail").getJsonObject("before").getLong("askingPrice")).isEqualTo(20_000);
    assertThat(entry.getJsonObject("detail").getString("by")).isNotBlank();
    // the engaged channel hears of the new price through the outbox
    assertThat(core.count("SELECT count(*) FROM outbox WHERE aggregate LIKE $1 AND payload->>'type' = 'update'"
        + " AND (payload->'card'->>'askingPrice')::bigint = 4200", "%|card:" + over)).isEqualTo(1);
  }

  @Test
  void markNoCompStopsTheFlagsUntilCompsAreRefreshedAndClearBringsThemBack() throws Exception {
    long noComp = core.createCard(new JsonObject().put("player", "Audit Oddball")).getLong("id");
    assertThat(core.get("/api/cards/" + noComp).json().getJsonArray("auditFlags"))
        .contains("needs_review", "stale_comps");

    JsonObject report = core.post("/api/pricing/audit/actions", new JsonObject().put("action", "mark_no_comp")
        .put("cardIds", new JsonArray().add(noComp))).json();
    assertThat(byCard(report).get(noComp).getString("outcome")).isEqualTo("changed");
    JsonObject marked = core.get("/api/cards/" + noComp).json();
    assertThat(marked.getBoolean("noComp")).isTrue();
    assertThat(marked.getJsonArray("auditFlags")).isEmpty();
    assertThat(auditIds()).doesNotContain(noComp);
    assertThat(byCard(core.post("/api/pricing/audit/actions", new JsonObject().put("action", "mark_no_comp")
        .put("cardIds", new JsonArray().add(noComp))).json()).get(noComp).getString("reason"))
        .isEqualTo("already_no_comp");

    // new comps arriving after the mark lift it: the card is audited again on the new data
    core.call("PATCH", "/api/cards/" + noComp, new JsonObject().put("askingPrice", 90_000).put("ebayAvg", 10_000)
        .put("compsRefreshedAt", Instant.now().plusSeconds(5).toString()));
    JsonObject refreshed = core.get("/api/cards/" + noComp).json();
    assertThat(refreshed.getBoolean("noComp")).isFalse();
    assertThat(refreshed.getJsonArray("auditFlags")).contains("over");

    long other = core.createCard(new JsonObject().put("player", "Audit Oddball 2")).getLong("id");
    core.post("/api/pricing/audit/actions", new JsonObject().put("action", "mark_no_comp")
        .put("cardIds", new JsonArray().add(other)));
    core.post("/api/pricing/audit/actions", new JsonObject().put("action", "clear_no_comp")
        .put("cardIds", new JsonArray().add(other)));
    assertThat(core.get("/api/cards/" + other).json().getJsonArray("auditFlags")).contains("needs_review");
  }

  @Test
  void aFilterCoversTheFlaggedSetOnlyAndBadInputChangesNothing() throws Exception {
    long flagged = core.createCard(priced("Audit Filter Over", 900_000L, 100_000)).getLong("id");
    long fine = core.createCard(priced("Audit Filter Fine", 100_000L, 100_000)).getLong("id");
    JsonObject report = core.post("/api/pricing/audit/actions", new JsonObject().put("action", "set_price_from_comp")
        .put("filter", new JsonObject().put("flag", "over").put("minPrice", 800_000))).json();
    Map<Long, JsonObject> results = byCard(report);
    assertThat(results).containsKey(flagged).doesNotContainKey(fine);
    assertThat(core.get("/api/cards/" + flagged).json().getLong("askingPrice")).isEqualTo(100_000);

    long before = core.count("SELECT count(*) FROM conflict_log");
    var both = core.post("/api/pricing/audit/actions", new JsonObject().put("action", "mark_no_comp")
        .put("cardIds", new JsonArray().add(fine)).put("filter", new JsonObject()));
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.field()).isEqualTo("cardIds");
    var badAction = core.post("/api/pricing/audit/actions", new JsonObject().put("action", "burn")
        .put("cardIds", new JsonArray().add(fine)));
    assertThat(badAction.status()).isEqualTo(400);
    var badFlag = core.post("/api/pricing/audit/actions", new JsonObject().put("action", "mark_no_comp")
        .put("filter", new JsonObject().put("flag", "cheap")));
    assertThat(badFlag.status()).isEqualTo(400);
    assertThat(core.count("SELECT count(*) FROM conflict_log")).isEqualTo(before);
    assertThat(core.get("/api/cards/" + fine).json().getBoolean("noComp")).isFalse();
  }

  private static List<Long> auditIds() throws Exception {
    JsonObject flags = core.get("/api/pricing/audit").json().getJsonObject("flags");
    return flags.stream().flatMap(e -> ((JsonArray) e.getValue()).stream())
        .map(o -> ((JsonObject) o).getLong("id")).distinct().toList();
  }
}
