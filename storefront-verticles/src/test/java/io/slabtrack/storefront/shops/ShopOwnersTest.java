package io.slabtrack.storefront.shops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.storefront.StorefrontFixture;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** storefront.shops.owners: core's question before a vendor lists on a shop (EVENT-BUS.md). */
class ShopOwnersTest {
  @RegisterExtension
  static final StorefrontFixture storefront = StorefrontFixture.perClass();

  private static JsonObject ask(Object shops) throws Exception {
    return storefront.node.vertx().eventBus().<JsonObject>request(Addresses.STOREFRONT_SHOPS_OWNERS,
        new JsonObject().put("shops", shops)).await(30, TimeUnit.SECONDS).body();
  }

  @Test
  void namesTheOwnerOfEachKnownShopAndLeavesUnknownOnesOut() throws Exception {
    storefront.shop("owners-a", "user-41");
    storefront.shop("owners-b", "user-42");
    JsonObject owners = ask(new JsonArray().add("owners-a").add("owners-b").add("owners-none")).getJsonObject("owners");
    assertThat(owners.getMap()).containsExactlyInAnyOrderEntriesOf(
        java.util.Map.of("owners-a", "user-41", "owners-b", "user-42"));
  }

  @Test
  void aBadQuestionIsA400() {
    for (Object bad : new Object[] {null, new JsonArray(), "owners-a", new JsonArray().add(7)}) {
      assertThatThrownBy(() -> ask(bad)).as(String.valueOf(bad)).isInstanceOfSatisfying(ReplyException.class,
          e -> assertThat(e.failureCode()).isEqualTo(400));
    }
  }
}
