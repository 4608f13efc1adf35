package io.slabtrack.storefront.cards;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.PageClient;
import io.slabtrack.cluster.testing.QueryPlans;
import io.slabtrack.storefront.PayingShop;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shop page's Year and Grader filters offer exactly the distinct years and graders of the cards for sale (graders
 * upper-cased, each once, in order; cards without one add nothing), follow the shop as cards leave it, and are read
 * off their indexes: the facets' statement costs the number of distinct values, not of cards.
 */
class ShopFacetsTest {
  private static PayingShop shop;
  private static final String BULK_SHOP = "facet-bulk";
  private static long nextId = 900_000;

  @BeforeAll
  static void start() throws Exception {
    shop = new PayingShop();
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
  }

  private static long card(Integer year, String grader) throws Exception {
    long id = ++nextId;
    JsonObject snap = new JsonObject().put("player", "Facet " + id).put("setName", "Prizm").put("grade", 9)
        .put("cardNumber", "1");
    if (year != null) {
      snap.put("year", year);
    }
    if (grader != null) {
      snap.put("gradingCompany", grader);
    }
    shop.sf.publish(cardEvent("publish", PayingShop.SLUG, id, 1, 1500L, snap));
    return id;
  }

  private static List<String> options(Document page, String select) {
    return page.select(select + " option").stream().map(Element::val).toList();
  }

  @Test
  void theFiltersOfferTheDistinctYearsAndGradersOfTheCardsForSaleAndFollowTheShop() throws Exception {
    card(2021, "psa");
    card(2021, "PSA");
    long bgs = card(1986, "BGS");
    card(null, null);
    long gone = card(1999, "CGC");
    shop.sf.publish(cardEvent("disengage", PayingShop.SLUG, gone, 2, null, null).put("reason", "sold_elsewhere"));

    PageClient b = new PageClient(shop.sf.node.url(AppName.STOREFRONT, ""));
    Document page = b.get("/s/" + PayingShop.SLUG).doc();
    assertThat(options(page, "#f-year")).containsExactly("", "1986", "2021");
    assertThat(options(page, "#f-grader")).containsExactly("", "BGS", "PSA");

    shop.sf.publish(cardEvent("disengage", PayingShop.SLUG, bgs, 2, null, null).put("reason", "sold_elsewhere"));
    page = b.get("/s/" + PayingShop.SLUG).doc();
    assertThat(options(page, "#f-year")).containsExactly("", "2021");
    assertThat(options(page, "#f-grader")).containsExactly("", "PSA");
  }

  @Test
  void theFacetsAreReadOffTheirIndexesNotTheShopsCards() throws Exception {
    // a shop of its own with 3,000 cards of 3 graders and 3 years: a plan that read the cards would say so
    shop.sf.sql("INSERT INTO storefronts (slug, name, owner_id, theme) VALUES ($1, 'Facet Bulk', 'facet-owner', '{}')",
        BULK_SHOP);
    shop.sf.sql("INSERT INTO storefront_cards (slabtrack_card_id, shop_slug, snapshot, published_price, version)"
        + " SELECT 2000000 + g, $1, jsonb_build_object('player', 'Bulk ' || g, 'year', 2000 + g % 3,"
        + " 'gradingCompany', (ARRAY['PSA', 'BGS', 'SGC'])[1 + g % 3]), 1000, 1 FROM generate_series(1, 3000) g",
        BULK_SHOP);
    shop.sf.sql("ANALYZE storefront_cards");
    String plan = QueryPlans.text(shop.sf.sql("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
        + CardSql.FACETS.replace("$1", "'" + BULK_SHOP + "'")));
    assertThat(plan).doesNotContain("Seq Scan").contains("storefront_cards_facet_grader",
        "storefront_cards_facet_year");
    // each distinct value is one probe: a handful of buffers, not the shop's pages
    long buffers = plan.lines().filter(l -> l.contains("Buffers: shared hit=")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll(".*shared hit=(\\d+).*", "$1"))).orElseThrow();
    assertThat(buffers).as(plan).isLessThan(100);
  }
}
