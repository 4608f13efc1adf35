package io.slabtrack.storefront.pages;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.PageClient;
import io.slabtrack.storefront.PayingShop;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shop page comes from the browse cache, rendered once per version of the shop: whatever commits (a sale, an
 * owner's edit, the shop's own row) is on the very next page, and a buyer's own parts (the cart's count and tiles,
 * the address the page was asked by) are never part of what another buyer gets.
 */
class ShopPageCacheTest {
  private static final String SLUG = PayingShop.SLUG;
  private static PayingShop shop;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    shop = new PayingShop();
    base = "http://127.0.0.1:" + shop.sf.node.httpPort(AppName.STOREFRONT);
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
  }

  private static void card(long id, String player, long price) throws Exception {
    JsonObject snap = new JsonObject().put("player", player).put("year", 2021).put("setName", "Prizm")
        .put("gradingCompany", "PSA").put("grade", 10).put("cardNumber", "1").put("certNumber", "C" + id);
    shop.sf.publish(cardEvent("publish", SLUG, id, 1, price, snap));
  }

  private static Element tile(Document page, long id) {
    return page.selectFirst("#results .tile[data-card-id=" + id + "]");
  }

  private static Document page(PageClient b, String path) throws Exception {
    PageClient.Page p = b.get(path);
    assertThat(p.status()).as(p.body()).isEqualTo(200);
    return p.doc();
  }

  @Test
  void aSaleAnEditAndTheShopsOwnRowAreOnTheVeryNextPage() throws Exception {
    card(771_001, "Cache Sold", 1_000);
    card(771_002, "Cache Kept", 2_000);
    PageClient b = new PageClient(base);
    Document before = page(b, "/s/" + SLUG + "?q=cache");
    assertThat(before.select("#results .tile")).hasSize(2);
    assertThat(before.select("[data-test=result-count]").text()).startsWith("2 cards");

    // proof it is served from the cache: a change the version triggers don't see doesn't show
    shop.sf.pool().query("SET session_replication_role = replica; UPDATE storefront_cards SET published_price = 9"
        + " WHERE slabtrack_card_id = 771002; SET session_replication_role = origin").execute()
        .await(30, TimeUnit.SECONDS);
    assertThat(page(b, "/s/" + SLUG + "?q=cache").html()).isEqualTo(before.html());

    // sold, as checkout records it: gone from the very next page, no waiting
    shop.sf.sql("UPDATE storefront_cards SET status = 'sold', updated_at = now() WHERE slabtrack_card_id = 771001");
    Document sold = page(b, "/s/" + SLUG + "?q=cache");
    assertThat(tile(sold, 771_001)).isNull();
    assertThat(tile(sold, 771_002)).isNotNull();
    assertThat(sold.select("[data-test=result-count]").text()).startsWith("1 card ");
    assertThat(tile(page(b, "/s/" + SLUG), 771_001)).as("the unfiltered page too").isNull();

    // the owner's price, and the shop's own row (its name in the title and header)
    shop.sf.sql("UPDATE storefront_cards SET custom_price = 4321 WHERE slabtrack_card_id = 771002");
    assertThat(tile(page(b, "/s/" + SLUG + "?q=cache"), 771_002).select(".price").text()).isEqualTo("$43.21");
    String name = shop.sf.sql("SELECT name FROM storefronts WHERE slug = $1", SLUG).iterator().next().getString(0);
    try {
      shop.sf.sql("UPDATE storefronts SET name = 'Renamed <Shop>' WHERE slug = $1", SLUG);
      Document renamed = page(b, "/s/" + SLUG + "?q=cache");
      assertThat(renamed.title()).isEqualTo("Renamed <Shop>");
      assertThat(renamed.select(".site-header .brand").text()).isEqualTo("Renamed <Shop>");
    } finally {
      shop.sf.sql("UPDATE storefronts SET name = $2 WHERE slug = $1", SLUG, name);
    }
  }

  @Test
  void oneBuyersCartNeverReachesAnotherBuyersPage() throws Exception {
    card(772_001, "Cart Mine", 1_500);
    card(772_002, "Cart Other", 1_600);
    String path = "/s/" + SLUG + "?player=cart";
    PageClient alice = new PageClient(base);
    PageClient bob = new PageClient(base);
    Document empty = page(bob, path);
    assertThat(tile(empty, 772_001).select("form.add-form")).hasSize(1);

    assertThat(alice.post("/s/" + SLUG + "/cart", Map.of("cardId", "772001", "back", path)).status()).isEqualTo(303);
    for (int i = 0; i < 2; i++) {
      Document hers = page(alice, path);
      assertThat(hers.select("[data-cart-count]").text()).isEqualTo("1");
      assertThat(tile(hers, 772_001).select("a.button").text()).isEqualTo("In cart");
      assertThat(tile(hers, 772_001).select("form.add-form")).isEmpty();
      assertThat(tile(hers, 772_002).select("form.add-form")).hasSize(1);

      // the same page, at the same version, for a buyer with nothing in the cart
      Document his = page(bob, path);
      assertThat(his.select("[data-cart-count]").text()).isEqualTo("0");
      assertThat(his.select("#results .tile a.button")).as("no one else's In cart").isEmpty();
      assertThat(tile(his, 772_001).select("form.add-form")).hasSize(1);
      assertThat(his.html()).isEqualTo(empty.html());
    }
  }

  @Test
  void everyTileComesBackToTheAddressItsOwnPageWasAskedBy() throws Exception {
    card(773_001, "Back Here", 1_700);
    PageClient b = new PageClient(base);
    for (String path : new String[] {"/s/" + SLUG + "?player=back+here", "/s/" + SLUG + "?player=back+here&x=%22%3E",
        "/s/" + SLUG + "?player=back+here&ref=mail"}) {
      Document page = page(b, path);
      assertThat(tile(page, 773_001).select("input[name=back]").val()).isEqualTo(path);
      assertThat(page.select("input[name=back]").eachAttr("value")).allMatch(path::equals);
      assertThat(page.select("[x], [ref]")).isEmpty();
    }
  }
}
