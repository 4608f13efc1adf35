package io.slabtrack.core.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.CoreFixture;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Dev-mode demo data: a dozen graded cards, some on ToT (one lot) and the demo shop; seeding twice adds nothing. */
class DemoSeedTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void seedsOnce() throws Exception {
    AppContext ctx = core.node.runtime(AppName.CORE).context();
    CoreApp app = new CoreApp();
    app.configure(ctx);
    app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
    app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
    JsonObject page = core.get("/api/cards?limit=200").json();
    assertThat(page.getLong("total")).isEqualTo(15);
    // owned by the demo operator account the login feature seeds first
    String owner = core.sql("SELECT id::text FROM users WHERE email = 'operator@slabtrack.local'").iterator().next()
        .getString(0);
    assertThat(page.getJsonArray("items").getJsonObject(0).getString("ownerId")).isEqualTo(owner);
    // ThisOrThat: six singles (three under $15, pull-only there) and a lot of two
    assertThat(core.get("/api/cards?channel=thisorthat").json().getLong("total")).isEqualTo(8);
    assertThat(core.count("SELECT count(*) FROM card_channels c JOIN cards k ON k.id = c.card_id WHERE c.channel = "
        + "'thisorthat' AND c.lot_key IS NULL AND k.asking_price < 1500")).isEqualTo(3);
    assertThat(core.get("/api/cards?channel=storefront").json().getLong("total")).isEqualTo(3);
    assertThat(core.count("SELECT count(DISTINCT lot_key) FROM card_channels WHERE lot_key IS NOT NULL")).isEqualTo(1);
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE shop = 'demo'")).isEqualTo(3);
    // realistic pricing: every demo card has a comp, and the audit has something to show
    page.getJsonArray("items").forEach(o -> assertThat(((JsonObject) o).getLong("compValue")).isPositive());
    assertThat(core.get("/api/pricing/audit").json().getJsonObject("counts").getInteger("stale_comps")).isPositive();
  }

  @Test
  void aRestartAfterPurchasesTopsTheDemoShopBackUp() throws Exception {
    try (CoreFixture core = CoreFixture.start()) { // its own database: seedsOnce counts the first seed's cards
      topUp(core);
    }
  }

  private static void topUp(CoreFixture core) throws Exception {
    AppContext ctx = core.node.runtime(AppName.CORE).context();
    CoreApp app = new CoreApp();
    app.configure(ctx);
    app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
    String activeInShop = "SELECT count(*) FROM card_channels WHERE shop = 'demo' AND status = 'active'";
    // every card of the demo shop sold (what buyers do between two dev starts)
    core.sql("UPDATE card_channels SET status = 'sold' WHERE shop = 'demo'");
    core.sql("UPDATE card_channels SET status = 'inactive' WHERE channel = 'personal'"
        + " AND card_id IN (SELECT card_id FROM card_channels WHERE shop = 'demo')");
    assertThat(core.count(activeInShop)).isZero();
    long cardsBefore = core.count("SELECT count(*) FROM cards");
    app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
    assertThat(core.count(activeInShop)).isEqualTo(3);
    assertThat(core.count("SELECT count(*) FROM cards")).isEqualTo(cardsBefore + 3);
    // new slabs, not the sold ones relisted: each with a cert number of its own
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE shop = 'demo' AND status = 'sold'")).isEqualTo(3);
    assertThat(core.count("SELECT count(DISTINCT cert_number) FROM cards")).isEqualTo(cardsBefore + 3);
    // a full shop is left alone
    app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
    assertThat(core.count("SELECT count(*) FROM cards")).isEqualTo(cardsBefore + 3);
  }
}
