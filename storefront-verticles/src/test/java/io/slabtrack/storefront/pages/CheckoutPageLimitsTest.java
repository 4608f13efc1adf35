package io.slabtrack.storefront.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.PageClient;
import io.slabtrack.storefront.PayingShop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checkout page is no way around the buyer limits: it starts checkouts through the same guard as
 * {@code POST /api/storefronts/{slug}/checkout}, so past a limit the form says so (429 with Retry-After) and
 * nothing is ordered or locked.
 */
class CheckoutPageLimitsTest {
  private static final String SLUG = PayingShop.SLUG;
  private static PayingShop shop;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    shop = new PayingShop(false, Map.of("BUYER_LIMIT_PENDING_PER_EMAIL", "1"));
    base = "http://127.0.0.1:" + shop.sf.node.httpPort(AppName.STOREFRONT);
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
  }

  @Test
  void aSecondOpenCheckoutForOneMailboxIsRefusedOnThePageToo() throws Exception {
    long first = shop.card(1500);
    long second = shop.card(1600);
    assertThat(checkout(new PageClient(base), first).location()).as("the first: off to the payment page")
        .startsWith(shop.sim.simulator.baseUrl() + "/checkout/cs_");

    // another browser (its own cookies), the same mailbox, while the first checkout still holds its card
    PageClient.Page refused = checkout(new PageClient(base), second);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isNotBlank();
    Document form = refused.doc();
    assertThat(form.select("[data-test=checkout-notice]").text()).contains("Too many unpaid checkouts");
    assertThat(form.select("input[name=email]").val()).as("what the buyer typed stays").isEqualTo("lim@example.com");
    assertThat(shop.sf.count("SELECT count(*) FROM orders WHERE $1 = ANY(card_ids)", second)).isZero();
    assertThat(shop.sf.node.runtime(AppName.STOREFRONT).context().saleLocks().holders(List.of(second))
        .await(30, TimeUnit.SECONDS)).as("nothing locked past the limit").isEmpty();
  }

  private static PageClient.Page checkout(PageClient b, long cardId) throws Exception {
    assertThat(b.post("/s/" + SLUG + "/cart", Map.of("cardId", String.valueOf(cardId), "back", "/s/" + SLUG))
        .status()).isEqualTo(303);
    String key = b.get("/s/" + SLUG + "/checkout").doc().select("input[name=key]").val();
    return b.post("/s/" + SLUG + "/checkout", Map.of("key", key, "email", "lim@example.com", "name", "Lim Buyer",
        "line1", "2 Elm St", "city", "Boston", "state", "MA", "postalCode", "02101", "country", "us"));
  }
}
