package io.slabtrack.core.cards;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.core.CoreFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The comp value chain and the price-audit flags of DOMAIN.md, one card per branch. */
class PricingTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();
  private static final String FRESH = Instant.now().minus(2, ChronoUnit.DAYS).toString();
  private static final String OLD = Instant.now().minus(31, ChronoUnit.DAYS).toString();

  private static JsonObject card(String grader, double grade) {
    return new JsonObject().put("player", "Comp " + grader + grade).put("gradingCompany", grader).put("grade", grade)
        .put("compsRefreshedAt", FRESH);
  }

  @Test
  void compValueTakesTheFirstNonZeroOfTheChain() throws Exception {
    // PSA 10 → the psa10 comp, even when raw and eBay are known
    JsonObject psa10 = core.createCard(card("PSA", 10).put("sportscardsproPsa10", 5000).put("sportscardsproRaw", 900)
        .put("ebayAvg", 4000).put("askingPrice", 5500));
    assertThat(psa10.getLong("compValue")).isEqualTo(5000);
    assertThat(psa10.getString("compSource")).isEqualTo("graded");
    // PSA 9 uses psa9, not psa10; BGS 10 / CGC 10 / SGC 10 their own columns
    assertThat(core.createCard(card("PSA", 9).put("sportscardsproPsa10", 5000).put("sportscardsproPsa9", 2100)
        .put("askingPrice", 2000)).getLong("compValue")).isEqualTo(2100);
    assertThat(core.createCard(card("bgs", 10).put("sportscardsproBgs10", 7700).put("askingPrice", 7000))
        .getLong("compValue")).isEqualTo(7700);
    assertThat(core.createCard(card("SGC", 10).put("sportscardsproSgc10", 3300).put("sportscardsproPsa10", 9999)
        .put("askingPrice", 3000)).getLong("compValue")).isEqualTo(3300);
    // the matching comp is 0 → raw
    JsonObject raw = core.createCard(card("PSA", 10).put("sportscardsproPsa10", 0).put("sportscardsproRaw", 1200)
        .put("askingPrice", 1300));
    assertThat(raw.getLong("compValue")).isEqualTo(1200);
    assertThat(raw.getString("compSource")).isEqualTo("raw");
    // a grade with no comp column (BGS 9.5) → raw is absent → eBay average
    JsonObject ebay = core.createCard(card("BGS", 9.5).put("sportscardsproBgs10", 8000).put("ebayAvg", 2500)
        .put("askingPrice", 2600));
    assertThat(ebay.getLong("compValue")).isEqualTo(2500);
    assertThat(ebay.getString("compSource")).isEqualTo("ebay_avg");
    // nothing but the asking price
    JsonObject asking = core.createCard(card("PSA", 8).put("askingPrice", 1800));
    assertThat(asking.getLong("compValue")).isEqualTo(1800);
    assertThat(asking.getString("compSource")).isEqualTo("asking_price");
    assertThat(asking.getJsonArray("auditFlags")).isEmpty();
    // nothing at all → 0 and needs_review
    JsonObject none = core.createCard(card("PSA", 10));
    assertThat(none.getLong("compValue")).isZero();
    assertThat(none.getString("compSource")).isEqualTo("none");
    assertThat(none.getJsonArray("auditFlags")).containsExactly("needs_review");
  }

  @Test
  void auditFlagsEachRule() throws Exception {
    long over = core.createCard(card("PSA", 10).put("sportscardsproPsa10", 1000).put("askingPrice", 2001)).getLong("id");
    long atTwice = core.createCard(card("PSA", 10).put("sportscardsproPsa10", 1000).put("askingPrice", 2000)).getLong("id");
    long under = core.createCard(card("PSA", 10).put("sportscardsproPsa10", 1000).put("askingPrice", 499)).getLong("id");
    long atHalf = core.createCard(card("PSA", 10).put("sportscardsproPsa10", 1000).put("askingPrice", 500)).getLong("id");
    long stale = core.createCard(card("PSA", 10).put("sportscardsproPsa10", 1000).put("askingPrice", 1000)
        .put("compsRefreshedAt", OLD)).getLong("id");
    long never = core.createCard(card("PSA", 10).put("sportscardsproPsa10", 1000).put("askingPrice", 1000)
        .putNull("compsRefreshedAt")).getLong("id");
    long review = core.createCard(card("PSA", 10)).getLong("id");

    assertThat(flags(over)).containsExactly("over");
    assertThat(flags(atTwice)).isEmpty();
    assertThat(flags(under)).containsExactly("under");
    assertThat(flags(atHalf)).isEmpty();
    assertThat(flags(stale)).containsExactly("stale_comps");
    assertThat(flags(never)).containsExactly("stale_comps");
    assertThat(flags(review)).containsExactly("needs_review");

    JsonObject audit = core.get("/api/pricing/audit").json();
    assertThat(ids(audit, "over")).contains(over).doesNotContain(atTwice, under);
    assertThat(ids(audit, "under")).contains(under).doesNotContain(atHalf);
    assertThat(ids(audit, "stale_comps")).contains(stale, never);
    assertThat(ids(audit, "needs_review")).contains(review);
    assertThat(audit.getJsonObject("counts").getInteger("over")).isEqualTo(ids(audit, "over").size());

    // a patch that refreshes the comps clears the stale flag (and bumps the version)
    CoreFixture.Resp patched = core.call("PATCH", "/api/cards/" + stale, new JsonObject().put("compsRefreshedAt", FRESH));
    assertThat(patched.json().getJsonArray("auditFlags")).isEmpty();
    assertThat(patched.json().getLong("version")).isEqualTo(2);
  }

  private static List<Object> flags(long id) throws Exception {
    return core.get("/api/cards/" + id).json().getJsonArray("auditFlags").getList();
  }

  private static List<Long> ids(JsonObject audit, String flag) {
    JsonArray cards = audit.getJsonObject("flags").getJsonArray(flag);
    return cards.stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }
}
