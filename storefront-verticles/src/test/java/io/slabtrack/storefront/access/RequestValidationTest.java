package io.slabtrack.storefront.access;

import static io.slabtrack.cluster.testing.ApiRefusals.assertInvalidField;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.ApiRefusals;
import io.slabtrack.storefront.StorefrontFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Storefront's JSON API refuses malformed requests the way core's does: checked against
 * {@code openapi/storefront.json} (shapes, types, bounds, no unknown fields) and by the shared email / postal-address
 * rules (content), each refusal the shared 400 naming the field, with nothing changed; its paged lists obey the
 * shared paging bounds.
 */
class RequestValidationTest {
  private static final String SHOP = "valid-shop";
  @RegisterExtension
  static final StorefrontFixture sf = StorefrontFixture.perClass();

  private static JsonObject checkout() {
    return new JsonObject().put("cardIds", new JsonArray().add(41)).put("email", "buyer@example.com")
        .put("shippingAddress", new JsonObject().put("name", "B Buyer").put("line1", "1 Main St")
            .put("city", "Memphis").put("postalCode", "38103").put("country", "US"));
  }

  private static ApiRefusals.Answer post(JsonObject body) throws Exception {
    return ApiRefusals.send(sf.node, AppName.STOREFRONT, "POST", "/api/storefronts/" + SHOP + "/checkout",
        body.encode(), null);
  }

  @Test
  void badCheckoutsGetTheShared400NamingTheFieldAndChangeNothing() throws Exception {
    sf.shop(SHOP, "vera");
    JsonObject noCards = checkout();
    noCards.remove("cardIds");
    assertInvalidField(post(noCards), "cardIds");
    assertInvalidField(post(checkout().put("cardIds", new JsonArray())), "cardIds");
    assertInvalidField(post(checkout().put("cardIds", new JsonArray().add(-3))), "cardIds[0]");
    assertInvalidField(post(checkout().put("coupon", "FREE")), "coupon");
    assertInvalidField(post(checkout().put("email", true)), "email");
    assertInvalidField(post(checkout().put("shippingAddress", "1 Main St")), "shippingAddress");
    // the content rules are the shared ones, in the words the cart page shows beside its field
    assertThat(assertInvalidField(post(checkout().put("email", "nope")), "email"))
        .isEqualTo("email must be an email address");
    JsonObject blankCity = checkout();
    blankCity.getJsonObject("shippingAddress").put("city", " ");
    assertInvalidField(post(blankCity), "shippingAddress.city");

    assertThat(sf.count("SELECT count(*) FROM orders")).as("nothing ordered").isZero();
  }

  @Test
  void pagedListsObeyTheSharedPagingBounds() throws Exception {
    sf.shop("paged-shop", "vera");
    ApiRefusals.assertSharedPaging(sf.node, AppName.STOREFRONT, "/api/storefronts/paged-shop/cards", null);
    ApiRefusals.assertSharedPaging(sf.node, AppName.STOREFRONT, "/api/storefronts/paged-shop/orders", sf.operator);
  }
}
