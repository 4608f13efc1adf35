package io.slabtrack.storefront.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabtrack.cluster.testing.RouteWalk;
import io.slabtrack.storefront.StorefrontApp;
import io.slabtrack.storefront.StorefrontFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every route registered on the Storefront's router, walked without a token on every spelling. */
class DenyByDefaultTest {
  @RegisterExtension
  static final StorefrontFixture storefront = StorefrontFixture.perClass();

  @Test
  void everyRegisteredRouteRefusesAnonymousRequestsOnEverySpelling() throws Exception {
    RouteWalk.Result walk = RouteWalk.walk(storefront.node, new StorefrontApp());
    List<String> walked = walk.routes().stream().map(p -> p.method() + " " + p.path()).toList();
    assertTrue(walked.contains("POST /api/storefronts/1/cards") && walked.contains("GET /api/storefronts/1/cards")
        && walked.contains("GET /api/storefronts"), "routes walked: " + walked);
    assertEquals(List.of(), walk.breaches(), walk.breaches().size() + " breaches of deny-by-default");
  }

  @Test
  void theShopIsPublicButItsOwnerRoutesAreNot() throws Exception {
    // anonymous browse reaches the handler: an unknown shop is a 404 from it, not a 401 from the gate
    assertEquals(404, storefront.call("GET", "/api/storefronts/no-such-shop/cards", null, null).status());
    assertEquals(401, storefront.call("GET", "/api/storefronts", null, null).status());
    assertEquals(404, storefront.call("GET", "/api/storefronts/", null, storefront.operator).status());
    assertEquals(200, storefront.call("GET", "/api/storefronts", null, storefront.operator).status());
  }
}
