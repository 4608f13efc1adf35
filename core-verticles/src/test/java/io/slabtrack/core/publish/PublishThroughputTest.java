package io.slabtrack.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.Receiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** 1,000 cards committed to a shop in one commit: every publish acknowledged once (figure logged, not asserted). */
class PublishThroughputTest {
  private static final Logger LOG = LoggerFactory.getLogger(PublishThroughputTest.class);
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void aThousandEngagedCardsAreAllAcknowledged() throws Exception {
    JsonArray rows = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      rows.add(new JsonObject().put("player", "Bulk " + i).put("askingPrice", 1000 + i));
    }
    core.post("/api/cards/import", rows);
    CoreFixture.await("import", Duration.ofSeconds(60), () -> count("SELECT count(*) FROM cards") == 1000);
    JsonArray commit = new JsonArray();
    core.sql("SELECT id FROM cards").forEach(r -> commit.add(new JsonObject().put("cardId", r.getLong("id"))
        .put("channel", "storefront").put("shop", "bulk")));
    try (Receiver shop = Receiver.on(core.node.vertx(), Addresses.STOREFRONT_CARDS_PUBLISH)) {
      long started = System.nanoTime();
      assertThat(core.post("/api/channels/commit", commit).status()).isEqualTo(200);
      // each publish also has its public twin (public.cards.storefront), published without an acknowledgement
      CoreFixture.await("1,000 acknowledgements", Duration.ofSeconds(120), () -> count(
          "SELECT count(*) FROM outbox WHERE status = 'delivered' AND address NOT LIKE 'public.%'") == 1000);
      LOG.info("FIGURE commit + publish of 1,000 storefront cards until all acknowledged (same JVM): {} s",
          String.format("%.2f", (System.nanoTime() - started) / 1e9));
      assertThat(shop.got).hasSize(1000);
      assertThat(shop.got.stream().map(m -> m.getLong("cardId")).distinct().count()).isEqualTo(1000);
    }
  }

  private static long count(String sql) {
    try {
      return core.count(sql);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
