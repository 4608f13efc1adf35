package io.slabtrack.tot.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.PageClient;
import io.slabtrack.tot.PaidPlays;
import io.slabtrack.tot.TotFixture;
import io.slabtrack.tot.fairness.Fairness;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ToT's pages over real HTTP on a real ToT with the Stripe simulator: browse with the toggle, filters and pages in
 * the URL; the flip cart's and pull tray's exact cents and the API's reasons; the play form's field errors; a play
 * committed from the form, its page, its client seed and the way to the hosted payment page; the CSRF rule.
 */
class TotPagesTest {
  private static final BigDecimal SPREAD = new BigDecimal("0.25");
  private static PaidPlays paid;
  private static String base;
  private static long ace;
  private static long deuce;
  private static long cheap;
  private static long cheaper;
  private static long lot;
  private static final java.util.List<Long> MORE = new java.util.ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    paid = new PaidPlays(930_000);
    base = paid.tot.node.url(AppName.TOT, "");
    ace = paid.single(4_510);
    deuce = paid.single(3_005);
    cheap = paid.single(900);
    cheaper = paid.single(1_200);
    paid.tot.ingest(TotFixture.lot("publish", "pages-lot", 1, 930_100, 2_000, 930_101, 2_500));
    lot = paid.tot.sql("SELECT id FROM listings WHERE listing_key = 'lot:pages-lot'").iterator().next().getLong(0);
    for (int i = 0; i < 26; i++) {
      MORE.add(paid.single(5_000 + i));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    paid.close();
  }

  private static PageClient client() {
    return new PageClient(base);
  }

  private static Map<String, String> form(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void browseTogglesKindsFiltersAndPagesWithTheFiltersInTheUrl() throws Exception {
    PageClient c = client();
    PageClient.Page all = c.get("/");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.header("Content-Security-Policy")).contains("script-src 'self'");
    Document doc = all.doc();
    assertThat(doc.select("[data-test=result-count]").text()).isEqualTo("31 listings");
    assertThat(doc.select(".grid .tile")).hasSize(24);
    assertThat(doc.select("[data-test=next]").attr("href")).isEqualTo("/?page=2");

    Document lots = c.get(doc.select("[data-test=toggle-lots]").attr("href")).doc();
    assertThat(lots.select(".grid .tile")).singleElement().satisfies(t -> {
      assertThat(t.attr("data-listing-id")).isEqualTo(String.valueOf(lot));
      assertThat(t.select(".tile-title").text()).isEqualTo("Lot of 2");
      // live.js finds a listing by core's listing key (public.cards.thisorthat events name it)
      assertThat(t.attr("data-live-key")).startsWith("lot:");
      assertThat(t.select(".flip-prices .win dd").text()).isEqualTo("$33.75"); // 4,500 × 0.75
      assertThat(t.select(".flip-prices .lose dd").text()).isEqualTo("$56.25");
    });

    Document singles = c.get("/?kind=single&max=15").doc();
    assertThat(singles.select(".grid .tile")).hasSize(2);
    Element pullOnly = singles.selectFirst(".tile[data-listing-id=" + cheap + "]");
    assertThat(pullOnly.select("[data-test=pull-only]").text()).startsWith("Pull only");
    assertThat(pullOnly.select("[data-test=flip-prices]")).isEmpty();
    assertThat(pullOnly.select("[data-test=pull-eligible]")).hasSize(1);

    Element tile = c.get("/?min=45.10&max=45.10").doc().selectFirst(".tile");
    assertThat(tile.attr("data-listing-id")).isEqualTo(String.valueOf(ace));
    assertThat(tile.attr("data-live-key")).matches("card:\\d+");
    assertThat(doc.select("[data-live]").attr("data-live")).isEqualTo("public.cards.thisorthat");
    assertThat(doc.select("script[src]").eachAttr("src")).anyMatch(src -> src.matches("/assets/live\\.[0-9a-f]+\\.js"));
    assertThat(tile.select(".flip-prices .win dd").text()).isEqualTo(money(Fairness.winPrice(4_510, SPREAD)));
    assertThat(tile.select(".spread").text()).isEqualTo("± 25%");

    Document filtered = c.get("/?kind=single&set=prizm&min=50&page=2").doc();
    assertThat(filtered.select("[data-test=result-count]").text()).isEqualTo("26 listings");
    assertThat(filtered.select(".grid .tile")).hasSize(2);
    assertThat(filtered.select("[data-test=prev]").attr("href")).isEqualTo("/?kind=single&set=prizm&min=50");
    assertThat(filtered.select("[data-test=toggle-lots]").attr("href")).isEqualTo("/?kind=lot&set=prizm&min=50");
    assertThat(filtered.select("input[name=kind]").val()).isEqualTo("single");
    assertThat(c.get("/?set=topps").doc().select("[data-test=result-count]").text()).isEqualTo("0 listings");
    assertThat(c.get("/?player=Player+" + 930_000).doc().select(".grid .tile")).hasSize(1);

    PageClient.Page typo = c.get("/?min=ten");
    assertThat(typo.status()).isEqualTo(200);
    assertThat(typo.doc().select("[data-test=filter-notice]").text()).contains("“ten” isn't a dollar amount");
  }

  @Test
  void aListingPageShowsItsCardsAndAnUnknownOneIsTheHtml404() throws Exception {
    Document doc = client().get("/listings/" + lot).doc();
    assertThat(doc.select(".card-figure")).hasSize(2);
    assertThat(doc.select("[data-test=win-price]").text()).isEqualTo("$33.75");
    assertThat(doc.select("[data-test=flip-it]").attr("href")).isEqualTo("/checkout/flip?listing=" + lot);
    Document cheapPage = client().get("/listings/" + cheap).doc();
    assertThat(cheapPage.select("[data-test=flip-it]")).as("a single under $15 can't be flipped alone").isEmpty();
    assertThat(cheapPage.select("[data-test=pull-only]").text()).contains("can't be flipped alone");
    PageClient.Page missing = client().get("/listings/999999999");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.doc().select("h1").text()).isEqualTo("Page not found");
  }

  @Test
  void theFlipCartShowsTheApisExactCentsOnItsTotal() throws Exception {
    PageClient c = client();
    for (long id : new long[] {ace, deuce, cheap}) {
      PageClient.Page added = c.post("/flip/add", form("listingId", String.valueOf(id), "back", "/"));
      assertThat(added.status()).isEqualTo(303);
      assertThat(added.location()).isEqualTo("/");
    }
    Document cart = c.get("/flip").doc();
    assertThat(cart.select(".pick-line")).hasSize(3);
    assertThat(cart.select("[data-flip-count]").text()).isEqualTo("3");
    long total = 4_510 + 3_005 + 900;
    assertThat(cart.select("[data-test=total]").text()).isEqualTo(money(total));
    assertThat(cart.select("[data-test=win-price]").text()).isEqualTo(money(Fairness.winPrice(total, SPREAD)));
    assertThat(cart.select("[data-test=lose-price]").text()).isEqualTo(money(Fairness.losePrice(total, SPREAD)));
    assertThat(cart.select("[data-test=play]").attr("href")).isEqualTo("/checkout/flip");

    assertThat(c.post("/flip/remove", form("listingId", String.valueOf(ace))).status()).isEqualTo(303);
    assertThat(c.post("/flip/remove", form("listingId", String.valueOf(deuce))).status()).isEqualTo(303);
    Document solo = c.get("/flip").doc();
    assertThat(solo.select("[data-test=why-not]").text())
        .isEqualTo("A solo flip needs a card value of at least $15.00; add it to a flip cart or a pull stack");
    assertThat(solo.select("[data-test=play]")).isEmpty();
  }

  @Test
  void thePullTraySaysWhyItCantBePlayedInTheApisWords() throws Exception {
    PageClient c = client();
    c.post("/pull/add", form("listingId", String.valueOf(cheap)));
    Document one = c.get("/pull").doc();
    assertThat(one.select("[data-test=why-not]").text()).isEqualTo("A pull stack holds 2 to 5 options, not 1");

    c.post("/pull/add", form("listingId", String.valueOf(cheaper)));
    Document low = c.get("/pull").doc();
    assertThat(low.select("[data-test=average]").text()).isEqualTo("$10.50");
    assertThat(low.select("[data-test=pull-price]").text()).isEqualTo(money(Fairness.pullPrice(java.util.List.of(900L,
        1_200L))));
    assertThat(low.select("[data-test=why-not]").text()).isEqualTo("A pull stack's average value must be at least $15.00");
    assertThat(low.select("[data-test=play]")).isEmpty();

    c.post("/pull/add", form("listingId", String.valueOf(ace)));
    Document ok = c.get("/pull").doc();
    assertThat(ok.select("[data-test=why-not]")).isEmpty();
    assertThat(ok.select("[data-test=pull-price]").text())
        .isEqualTo(money(Fairness.pullPrice(java.util.List.of(900L, 1_200L, 4_510L))));
    assertThat(ok.select("[data-test=play]").attr("href")).isEqualTo("/checkout/pull");

    for (long id : new long[] {deuce, lot, MORE.get(0)}) {
      c.post("/pull/add", form("listingId", String.valueOf(id)));
    }
    assertThat(c.get("/pull").doc().select("[data-test=why-not]").text())
        .isEqualTo("A pull stack holds 2 to 5 options, not 6");
  }

  @Test
  void formsFromAnotherSiteOrWithoutAnOriginAreRefused() throws Exception {
    PageClient c = client();
    assertThat(c.post("/flip/add", form("listingId", String.valueOf(ace)), "https://evil.example").status())
        .isEqualTo(403);
    assertThat(c.post("/pull/add", form("listingId", String.valueOf(ace)), null).status()).isEqualTo(403);
    assertThat(c.post("/checkout/flip", form("ids", String.valueOf(ace)), "https://evil.example").status())
        .isEqualTo(403);
    assertThat(c.get("/flip").doc().select(".pick-line")).isEmpty();
  }

  @Test
  void thePlayFormShowsEveryFieldErrorThenCommitsAndThePlayPageLeadsToThePaymentPage() throws Exception {
    PageClient c = client();
    PageClient.Page shown = c.get("/checkout/flip?listing=" + deuce);
    assertThat(shown.status()).isEqualTo(200);
    Document form = shown.doc();
    assertThat(form.select("[data-test=prices]").text())
        .isEqualTo("Win: pay " + money(Fairness.winPrice(3_005, SPREAD)) + " · Lose: pay "
            + money(Fairness.losePrice(3_005, SPREAD)));
    String key = form.select("input[name=key]").val();

    PageClient.Page bad = c.post("/checkout/flip", form("key", key, "ids", String.valueOf(deuce), "email", "nope",
        "name", "", "line1", "1 Main", "city", "", "postalCode", "38103", "country", "US"));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.doc().select("#e-email").text()).isEqualTo("email must be an email address"); // the shared Emails rule's words, as Storefront's form
    assertThat(bad.doc().select("#e-name").text()).isEqualTo("Please fill this in.");
    assertThat(bad.doc().select("#e-city").text()).isEqualTo("Please fill this in.");
    assertThat(bad.doc().select("input[name=line1]").val()).isEqualTo("1 Main");
    assertThat(paid.tot.count("SELECT count(*) FROM plays")).as("nothing committed").isZero();

    Map<String, String> good = form("key", key, "ids", String.valueOf(deuce), "email", "bea@example.com",
        "name", "Bea Buyer", "line1", "1 Main", "city", "Memphis", "postalCode", "38103", "country", "US");
    PageClient.Page committed = c.post("/checkout/flip", good);
    assertThat(committed.status()).as(committed.body()).isEqualTo(303);
    assertThat(committed.location()).startsWith("/play/play_");
    String playId = committed.location().substring("/play/".length());
    assertThat(c.post("/checkout/flip", good).location()).as("a double submit is the same play")
        .isEqualTo(committed.location());

    Document play = c.get(committed.location()).doc();
    JsonObject api = paid.tot.get("/api/play/" + playId).json();
    assertThat(play.select("[data-test=seed-hash]").text()).isEqualTo(api.getString("seedHash"));
    assertThat(play.select("[data-test=lose-price]").text()).isEqualTo(money(api.getLong("losePrice")));
    assertThat(play.select("[data-test=verify]")).as("nothing to verify before the reveal").isEmpty();
    assertThat(play.select("form.pay-form").attr("action")).isEqualTo("/play/" + playId + "/pay");

    assertThat(c.post("/play/" + playId + "/pay", form("clientSeed", "forged"), "https://evil.example").status())
        .isEqualTo(403);
    PageClient.Page pay = c.post("/play/" + playId + "/pay", form("clientSeed", "lucky 7"));
    assertThat(pay.status()).isEqualTo(303);
    assertThat(pay.location()).isEqualTo(api.getString("checkoutUrl")).startsWith(paid.sim.simulator.baseUrl());
    assertThat(paid.tot.get("/api/play/" + playId).json().getString("clientSeed")).isEqualTo("lucky 7");
    PageClient.Page badSeed = c.post("/play/" + playId + "/pay", form("clientSeed", "é"));
    assertThat(badSeed.status()).isEqualTo(400);
    assertThat(badSeed.doc().select("[data-test=play-notice]").text()).contains("clientSeed");
    assertThat(c.get("/play/play_nope").status()).isEqualTo(404);

    // called off before paying: void, nothing held, and the same cards can be played again at once
    assertThat(c.post("/play/" + playId + "/cancel", Map.of(), "https://evil.example").status()).isEqualTo(403);
    assertThat(paid.tot.get("/api/play/" + playId).json().getString("status")).isEqualTo("COMMITTED");
    PageClient.Page calledOff = c.post("/play/" + playId + "/cancel", Map.of());
    assertThat(calledOff.status()).as(calledOff.body()).isEqualTo(303);
    assertThat(calledOff.location()).isEqualTo("/play/" + playId);
    assertThat(paid.tot.get("/api/play/" + playId).json().getString("status")).isEqualTo("VOID");
    Document closed = c.get("/play/" + playId).doc();
    assertThat(closed.select("form.pay-form")).as("nothing left to pay").isEmpty();
    assertThat(closed.select("[data-test=call-off]")).isEmpty();
    assertThat(c.post("/play/" + playId + "/cancel", Map.of()).status()).as("a second click").isEqualTo(303);
    String key2 = c.get("/checkout/flip?listing=" + deuce).doc().select("input[name=key]").val();
    Map<String, String> again = new LinkedHashMap<>(good);
    again.put("key", key2);
    PageClient.Page replayed = c.post("/checkout/flip", again);
    assertThat(replayed.status()).as("the cards were freed: " + replayed.body()).isEqualTo(303);
    assertThat(replayed.location()).startsWith("/play/play_").isNotEqualTo("/play/" + playId);
  }

  @Test
  void theOrderPageWantsTheRightToken() throws Exception {
    assertThat(client().get("/orders/ord_nope?token=x").status()).isEqualTo(404);
  }

  private static String money(long cents) {
    return io.slabtrack.cluster.web.Money.usd(cents);
  }
}
