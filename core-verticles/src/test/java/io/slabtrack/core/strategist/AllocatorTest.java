package io.slabtrack.core.strategist;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Scoring, routing and lot building on fixed portfolios, with the seed's examples and the edge cases. */
class AllocatorTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant FRESH = NOW.minusSeconds(86_400);
  private long nextId = 1;

  private PortfolioCard card(String player, long cents, String sport, String team) {
    return new PortfolioCard(nextId++, player, 2024, "Panini Prizm", sport, team, cents, "graded", cents, 12, FRESH,
        true, true);
  }

  private PortfolioCard card(String player, long cents) {
    return card(player, cents, null, null);
  }

  private static JsonObject propose(StrategyConfig config, List<PortfolioCard> cards) {
    return new Allocator(config, NOW).propose("strategist", cards);
  }

  private static Map<Long, JsonObject> byId(JsonObject doc) {
    return doc.getJsonArray("cards").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(c -> c.getLong("cardId"), c -> c));
  }

  private static List<JsonObject> lots(JsonObject doc) {
    return doc.getJsonArray("lots").stream().map(o -> (JsonObject) o).toList();
  }

  @Test
  void mixRoutesByTheSeedsThresholds() {
    PortfolioCard none = card("No Comp", 0);
    PortfolioCard eight = card("Eight", 800);
    PortfolioCard thirty = card("Thirty", 3_000);
    PortfolioCard premium = card("Premium", 7_500);
    PortfolioCard fifty = card("Fifty", 5_000);
    Map<Long, JsonObject> out = byId(propose(Preset.MIX.defaults(), List.of(none, eight, thirty, premium, fifty)));
    assertThat(out.get(none.id()).getString("pool")).isEqualTo("personal");
    assertThat(out.get(none.id()).getString("reason")).startsWith("needs_review");
    assertThat(out.get(eight.id()).getString("pool")).as("$8: only eBay's $0-15 covers it").isEqualTo("ebay");
    assertThat(out.get(thirty.id()).getString("pool")).as("ToT $10-50").isEqualTo("thisorthat");
    assertThat(out.get(premium.id()).getString("pool")).as("Storefront premium").isEqualTo("storefront");
    assertThat(out.get(fifty.id()).getString("pool")).as("ranges are [min, max): $50 is storefront").isEqualTo("storefront");
  }

  @Test
  void overlappingRangesAreDecidedByFitAndEveryScoreShowsItsInputs() {
    // $12 sits in eBay [0, 15) and ToT [10, 50): a well-comped, fast-selling old card fits eBay; a hot new
    // basketball card with a thin eBay history fits ToT
    PortfolioCard ebayish = new PortfolioCard(1, "Old Comp", 1990, "Topps", "hockey", null, 1_200, "graded", 1_200L,
        30, FRESH, true, true);
    PortfolioCard totish = new PortfolioCard(2, "Rookie", 2026, "Prizm", "basketball", null, 1_200, "asking_price",
        1_200L, 0, null, true, true);
    Map<Long, JsonObject> out = byId(propose(lotsOff(Preset.MIX.defaults()), List.of(ebayish, totish)));
    assertThat(out.get(1L).getString("pool")).isEqualTo("ebay");
    assertThat(out.get(2L).getString("pool")).isEqualTo("thisorthat");
    JsonObject fits = out.get(1L).getJsonObject("fits");
    assertThat(fits.fieldNames()).containsExactlyInAnyOrder("ebay", "thisorthat");
    assertThat(fits.getInteger("ebay")).isGreaterThan(fits.getInteger("thisorthat"));
    JsonObject scores = out.get(2L).getJsonObject("scores");
    assertThat(scores.fieldNames()).containsExactlyInAnyOrder("price", "recency", "sport", "compConfidence", "velocity");
    assertThat(scores.getJsonObject("recency").getInteger("score")).isEqualTo(100);
    assertThat(scores.getJsonObject("sport").getJsonObject("inputs").getString("sport")).isEqualTo("basketball");
    assertThat(scores.getJsonObject("compConfidence").getJsonObject("inputs").getBoolean("stale")).isTrue();
    assertThat(scores.getJsonObject("compConfidence").getInteger("score")).isEqualTo(12); // asking only 25, halved
    assertThat(scores.getJsonObject("velocity").getInteger("score")).isZero();
    assertThat(out.get(1L).getJsonObject("scores").getJsonObject("velocity").getInteger("score")).isEqualTo(100);
    // $12 is under the $15 solo-Flip floor: a pull-eligible ToT single is Pull-only
    assertThat(out.get(2L).getBoolean("pullOnly")).isTrue();
  }

  @Test
  void theManualsDallasLotRollsFourTeamsIntoOneCityLot() {
    List<PortfolioCard> cards = List.of(card("Dak Prescott", 1_200, "football", "Dallas Cowboys"),
        card("Luka Doncic", 1_100, "basketball", "Dallas Mavericks"),
        card("Jason Robertson", 1_000, "hockey", "Dallas Stars"),
        card("Corey Seager", 900, "baseball", "Texas Rangers"),
        card("Lone Cub", 900, "baseball", "Chicago Cubs"));
    JsonObject doc = new Allocator(Preset.lotsOnly(lotRules()), NOW).propose("lots", cards);
    List<JsonObject> lots = lots(doc);
    assertThat(lots).hasSize(1);
    JsonObject dallas = lots.get(0);
    assertThat(dallas.getString("kind")).isEqualTo("city");
    assertThat(dallas.getString("label")).isEqualTo("Dallas");
    assertThat(dallas.getString("pool")).isEqualTo("thisorthat");
    assertThat(dallas.getJsonArray("chips")).containsExactlyInAnyOrder("Dallas Cowboys", "Dallas Mavericks",
        "Dallas Stars", "Texas Rangers");
    assertThat(dallas.getInteger("count")).isEqualTo(4);
    assertThat(dallas.getLong("totalValue")).isEqualTo(4_200);
    // the lone Cub makes no lot: in lots-only mode it stays personal
    assertThat(byId(doc).get(5L).getString("pool")).isEqualTo("personal");
  }

  @Test
  void aGroupThatWouldExceed25IsSplitAndNoCardIsInTwoLots() {
    List<PortfolioCard> cards = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      cards.add(card("Ja Morant", 500 + i, "basketball", "Memphis Grizzlies"));
    }
    for (int i = 0; i < 4; i++) {
      cards.add(new PortfolioCard(nextId++, "Set Guy " + i, 2020, "Topps Chrome", null, null, 600, "raw", 600L, 3,
          FRESH, true, true));
    }
    JsonObject doc = new Allocator(Preset.lotsOnly(lotRules()), NOW).propose("lots", cards);
    List<JsonObject> lots = lots(doc);
    assertThat(lots).allSatisfy(l -> assertThat(l.getInteger("count")).isBetween(3, 25));
    List<JsonObject> team = lots.stream().filter(l -> l.getString("kind").equals("team")).toList();
    assertThat(team).hasSize(2);
    assertThat(team).extracting(l -> l.getInteger("count")).containsExactly(15, 15);
    assertThat(team).extracting(l -> l.getString("label"))
        .containsExactly("Memphis Grizzlies (1/2)", "Memphis Grizzlies (2/2)");
    assertThat(lots.stream().filter(l -> l.getString("kind").equals("set")).findFirst().orElseThrow()
        .getString("label")).isEqualTo("2020 Topps Chrome");
    Set<Long> seen = new HashSet<>();
    for (JsonObject l : lots) {
      for (Object id : l.getJsonArray("cardIds")) {
        assertThat(seen.add(((Number) id).longValue())).as("card %s in two lots", id).isTrue();
      }
    }
    assertThat(seen).hasSize(34);
  }

  @Test
  void aLotUnderTheThresholdIsNotProposedAndItsCardsTryTheNextKind() {
    // three $2 Bulls cards: their $6 team lot is under the $15 threshold, so no lot and they stay personal
    List<PortfolioCard> cheap = List.of(card("A", 200, null, "Chicago Bulls"), card("B", 200, null, "Chicago Bulls"),
        card("C", 200, null, "Chicago Bulls"));
    JsonObject none = new Allocator(Preset.lotsOnly(lotRules()), NOW).propose("lots",
        cheap.stream().map(c -> withSet(c, null)).toList());
    assertThat(lots(none)).isEmpty();
    assertThat(byId(none).values()).allSatisfy(c -> assertThat(c.getString("pool")).isEqualTo("personal"));

    // with a $14 basketball card of no team, the Bulls cards fall through team (still $6) to a $20 sport lot
    List<PortfolioCard> sport = new ArrayList<>();
    sport.add(card("W", 200, "basketball", "Chicago Bulls"));
    sport.add(card("X", 200, "basketball", "Chicago Bulls"));
    sport.add(card("Y", 200, "basketball", "Chicago Bulls"));
    sport.add(card("Z", 1_400, "basketball", null));
    JsonObject doc = new Allocator(Preset.lotsOnly(lotRules()), NOW).propose("lots",
        sport.stream().map(c -> withSet(c, null)).toList());
    assertThat(lots(doc)).singleElement().satisfies(l -> {
      assertThat(l.getString("kind")).isEqualTo("sport");
      assertThat(l.getString("label")).isEqualTo("Basketball");
      assertThat(l.getLong("totalValue")).isEqualTo(2_000);
    });
  }

  @Test
  void eBayLotsStayUnderTheirCeiling() {
    List<PortfolioCard> cards = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      cards.add(new PortfolioCard(nextId++, "Lamar Jackson", 2019, "Donruss", "football", "Baltimore Ravens", 900,
          "graded", 900L, 40, FRESH, true, true));
    }
    JsonObject doc = propose(Preset.MIX.defaults(), cards);
    List<JsonObject> ebay = lots(doc).stream().filter(l -> l.getString("pool").equals("ebay")).toList();
    assertThat(ebay).isNotEmpty();
    assertThat(ebay).allSatisfy(l -> assertThat(l.getLong("totalValue")).isLessThanOrEqualTo(7_500));
    assertThat(ebay.stream().mapToInt(l -> l.getInteger("count")).sum()).isEqualTo(12);
  }

  @Test
  void aggressivePullMakesSub15CardsPullOnlySinglesWithoutLots() {
    PortfolioCard pullable = card("Pullable", 800, "basketball", "Dallas Mavericks");
    PortfolioCard pullable2 = card("Pullable 2", 800, "football", "Dallas Cowboys");
    PortfolioCard pullable3 = card("Pullable 3", 800, "hockey", "Dallas Stars");
    PortfolioCard notPullable = new PortfolioCard(nextId++, "No Pull", 2024, "Prizm", null, null, 800, "graded", 800L,
        5, FRESH, false, true);
    PortfolioCard forty = card("Forty", 4_000);
    JsonObject doc = propose(Preset.AGGRESSIVE_PULL.defaults(), List.of(pullable, pullable2, pullable3, notPullable,
        forty));
    Map<Long, JsonObject> out = byId(doc);
    assertThat(lots(doc)).as("lots are off").isEmpty();
    assertThat(out.get(pullable.id()).getString("pool")).isEqualTo("thisorthat");
    assertThat(out.get(pullable.id()).getBoolean("pullOnly")).isTrue();
    assertThat(out.get(notPullable.id()).getString("pool")).isEqualTo("personal");
    assertThat(out.get(forty.id()).getString("pool")).isEqualTo("thisorthat");
    assertThat(out.get(forty.id()).getBoolean("pullOnly")).isFalse();
  }

  @Test
  void storefrontPresetLoadsTheShopAndRepacksAbsorbTheLowEnd() {
    PortfolioCard hero = card("Hero", 3_000);
    PortfolioCard mid = card("Mid", 2_000);
    PortfolioCard low = card("Low", 300);
    Map<Long, JsonObject> out = byId(propose(Preset.STOREFRONT.defaults(), List.of(hero, mid, low)));
    assertThat(out.get(hero.id()).getString("pool")).isEqualTo("storefront");
    assertThat(out.get(mid.id()).getString("pool")).isEqualTo("thisorthat");
    assertThat(out.get(low.id()).getString("pool")).isEqualTo("repack");
  }

  @Test
  void overridesChangeOnlyWhatTheyName() {
    StrategyConfig config = StrategyConfig.from(Preset.MIX, new JsonObject()
        .put("pools", new JsonObject().put("storefront", new JsonObject().put("enabled", false)))
        .put("lots", new JsonObject().put("maxSize", 10)));
    assertThat(config.storefront().enabled()).isFalse();
    assertThat(config.lots().maxSize()).isEqualTo(10);
    assertThat(config.thisorthat()).isEqualTo(Preset.MIX.defaults().thisorthat());
    Map<Long, JsonObject> out = byId(propose(config, List.of(card("Premium", 9_000))));
    assertThat(out.values()).singleElement().satisfies(c -> {
      assertThat(c.getString("pool")).isEqualTo("personal");
      assertThat(c.getString("reason")).contains("no enabled pool");
    });
  }

  private static LotRules lotRules() {
    return new LotRules(true, Preset.LOT_THRESHOLD, Preset.LOT_MAX_SIZE, Preset.LOT_MIN_SIZE);
  }

  private static StrategyConfig lotsOff(StrategyConfig c) {
    return new StrategyConfig(c.preset(), c.ebay(), c.ebayLotMax(), c.thisorthat(), c.storefront(), c.repack(),
        new LotRules(false, c.lots().threshold(), c.lots().maxSize(), c.lots().minSize()), false, null);
  }

  private static PortfolioCard withSet(PortfolioCard c, String set) {
    return new PortfolioCard(c.id(), c.player(), c.year(), set, c.sport(), c.team(), c.value(), c.compSource(),
        c.askingPrice(), c.ebaySampleSize(), c.compsRefreshedAt(), c.pullEligible(), c.flipEligible());
  }
}
