package io.slabtrack.tot.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.PageClient;
import io.slabtrack.tot.TotFixture;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ToT's browse page comes from the browse cache, rendered once per version of the listings: a listing core
 * disengages or re-prices is gone or changed on the very next page, and a buyer's own flip cart and pull tray (the
 * header's counts, their tiles' buttons) are never part of what another buyer gets.
 */
class BrowsePageCacheTest {
  private static TotFixture tot;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    tot = TotFixture.start();
    base = tot.node.url(AppName.TOT, "");
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
  }

  private static long listing(long card, long cents) throws Exception {
    tot.ingest(TotFixture.single("publish", card, 1, cents));
    return tot.sql("SELECT id FROM listings WHERE listing_key = $1", "card:" + card).iterator().next().getLong(0);
  }

  private static Document page(PageClient c, String path) throws Exception {
    PageClient.Page p = c.get(path);
    assertThat(p.status()).as(p.body()).isEqualTo(200);
    return p.doc();
  }

  private static Element tile(Document page, long id) {
    return page.selectFirst(".grid .tile[data-listing-id=" + id + "]");
  }

  @Test
  void aListingDisengagedOrRepricedIsGoneOrChangedOnTheVeryNextPage() throws Exception {
    long gone = listing(951_001, 4_000);
    long repriced = listing(951_002, 5_000);
    PageClient c = new PageClient(base);
    Document before = page(c, "/?min=39");
    assertThat(tile(before, gone)).isNotNull();
    assertThat(tile(before, repriced).select(".value").text()).isEqualTo("Value $50.00");

    // proof it is served from the cache: a change the version triggers don't see doesn't show
    tot.pool().query("SET session_replication_role = replica; UPDATE listings SET card_value = 1 WHERE id = "
        + repriced + "; SET session_replication_role = origin").execute().await(30, TimeUnit.SECONDS);
    assertThat(page(c, "/?min=39").html()).isEqualTo(before.html());

    // core's events, as they arrive: sold elsewhere, then a new price
    tot.ingest(TotFixture.single("disengage", 951_001, 2, 4_000));
    tot.ingest(TotFixture.single("publish", 951_002, 2, 6_000));
    Document after = page(c, "/?min=39");
    assertThat(tile(after, gone)).isNull();
    assertThat(tile(after, repriced).select(".value").text()).isEqualTo("Value $60.00");
    assertThat(after.select("[data-test=result-count]").text()).isEqualTo("1 listing");
    assertThat(tile(page(c, "/"), gone)).as("the unfiltered page too").isNull();
  }

  @Test
  void oneBuyersPicksNeverReachAnotherBuyersPage() throws Exception {
    long mine = listing(952_001, 3_000);
    long other = listing(952_002, 3_100);
    String path = "/?max=31";
    PageClient alice = new PageClient(base);
    PageClient bob = new PageClient(base);
    Document empty = page(bob, path);

    assertThat(alice.post("/flip/add", Map.of("listingId", String.valueOf(mine), "back", path)).status())
        .isEqualTo(303);
    assertThat(alice.post("/pull/add", Map.of("listingId", String.valueOf(mine), "back", path)).status())
        .isEqualTo(303);
    for (int i = 0; i < 2; i++) {
      Document hers = page(alice, path);
      assertThat(hers.select("[data-flip-count]").text()).isEqualTo("1");
      assertThat(hers.select("[data-pull-count]").text()).isEqualTo("1");
      assertThat(tile(hers, mine).select("button[disabled]").eachText()).containsExactly("In flip cart",
          "In pull tray");
      assertThat(tile(hers, other).select("button[disabled]")).isEmpty();

      Document his = page(bob, path);
      assertThat(his.select("[data-flip-count]").text()).isEqualTo("0");
      assertThat(his.select("[data-pull-count]").text()).isEqualTo("0");
      assertThat(his.select(".grid button[disabled]")).as("no one else's picks").isEmpty();
      assertThat(his.html()).isEqualTo(empty.html());
    }
  }
}
