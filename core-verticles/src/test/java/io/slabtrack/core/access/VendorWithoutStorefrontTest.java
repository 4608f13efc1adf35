package io.slabtrack.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core alone: no Storefront answers who owns a shop, so a vendor's storefront engagement is refused as unavailable
 * (never let through unchecked), while ThisOrThat, which needs no such answer, still works.
 */
class VendorWithoutStorefrontTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void aShopNobodyCanVouchForIsA503AndNothingIsEngaged() throws Exception {
    String vendor = TestTokens.session(TestNode.SECRET, "vendor-solo", Role.VENDOR);
    long id = core.call("POST", "/api/cards", CoreFixture.card("Solo Vendor Card", 1_500), vendor).json().getLong("id");
    CoreFixture.Resp shop = core.call("POST", "/api/cards/" + id + "/channels/storefront",
        new JsonObject().put("shop", "demo"), vendor);
    assertThat(shop.status()).isEqualTo(503);
    assertThat(shop.error()).isEqualTo("storefront_unavailable");
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE card_id = $1 AND channel = 'storefront'", id))
        .isZero();
    assertThat(core.call("POST", "/api/cards/" + id + "/channels/thisorthat", null, vendor).status()).isEqualTo(200);
    // the operator's engagements never ask the storefront
    assertThat(core.call("POST", "/api/cards/" + id + "/channels/storefront", new JsonObject().put("shop", "demo"),
        core.operator).status()).isEqualTo(200);
  }
}
