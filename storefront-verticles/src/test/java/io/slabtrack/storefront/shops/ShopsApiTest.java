package io.slabtrack.storefront.shops;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shops: operators create, owners and operators edit, anyone else gets 403, buyers read the public face. */
class ShopsApiTest {
  @RegisterExtension
  static final StorefrontFixture sf = StorefrontFixture.perClass();

  private static JsonObject address() {
    return new JsonObject().put("name", "Slab Shack").put("line1", "1 Main St").put("city", "Austin")
        .put("state", "TX").put("postalCode", "78701").put("country", "us");
  }

  @Test
  void operatorCreatesAShopAndBuyersReadIt() throws Exception {
    Resp created = sf.call("POST", "/api/storefronts", new JsonObject().put("slug", "slab-shack").put("name", "Slab Shack")
        .put("ownerId", "alice").put("bio", "PSA 10s only").put("bannerUrl", "https://img.example/banner.png")
        .put("theme", new JsonObject().put("preset", "vintage").put("palette", "gold"))
        .put("shipFrom", address()), sf.operator);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.raw().headers().firstValue("Location")).contains("/api/storefronts/slab-shack");
    assertThat(created.json().getString("ownerId")).isEqualTo("alice");
    assertThat(created.json().getJsonObject("shipFrom").getString("country")).isEqualTo("US");
    assertThat(created.json().getBoolean("acceptingOrders")).isFalse();

    Resp shown = sf.get("/api/storefronts/slab-shack");
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().getString("name")).isEqualTo("Slab Shack");
    assertThat(shown.json().getJsonObject("theme").encode()).isEqualTo("{\"preset\":\"vintage\",\"palette\":\"gold\"}");
    assertThat(shown.json().getBoolean("acceptingOrders")).isFalse();
    assertThat(shown.json().containsKey("ownerId")).as("the owner's id is not public").isFalse();
    assertThat(shown.json().containsKey("shipFrom")).isFalse();

    assertThat(sf.get("/api/storefronts/nope-nope").status()).isEqualTo(404);
  }

  @Test
  void slugsAreValidatedAndUnique() throws Exception {
    for (String bad : new String[] {"ab", "Upper-Case", "under_score", "x".repeat(41), "spa ce", ""}) {
      Resp r = sf.call("POST", "/api/storefronts", new JsonObject().put("slug", bad).put("name", "x"), sf.operator);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.field()).isEqualTo("slug");
    }
    assertThat(sf.call("POST", "/api/storefronts", new JsonObject().put("slug", "abc").put("name", "x"), sf.operator)
        .status()).isEqualTo(201);
    Resp dup = sf.call("POST", "/api/storefronts", new JsonObject().put("slug", "abc").put("name", "y"), sf.operator);
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.error()).isEqualTo("slug_taken");
    assertThat(sf.call("POST", "/api/storefronts", new JsonObject().put("slug", "x".repeat(40)).put("name", "x"),
        sf.operator).status()).isEqualTo(201);
  }

  @Test
  void badBodiesAre400WithTheField() throws Exception {
    Object[][] cases = {
        {new JsonObject().put("slug", "t-1"), "name"},
        {new JsonObject().put("slug", "t-1").put("name", "x").put("theme", new JsonObject().put("preset", "weird")
            .put("palette", "gold")), "theme.preset"},
        {new JsonObject().put("slug", "t-1").put("name", "x").put("theme", new JsonObject().put("preset", "bold")
            .put("palette", "beige")), "theme.palette"},
        {new JsonObject().put("slug", "t-1").put("name", "x").put("theme", new JsonObject().put("preset", "bold")), "theme"},
        {new JsonObject().put("slug", "t-1").put("name", "x").put("theme", new JsonObject().put("preset", "bold")
            .put("colors", new JsonObject().put("primary", "#123").put("accent", "#abcdef").put("background", "red")
                .put("text", "#000"))), "theme.colors.background"},
        {new JsonObject().put("slug", "t-1").put("name", "x").put("shipFrom", address().put("country", "USA")),
            "shipFrom.country"},
        {new JsonObject().put("slug", "t-1").put("name", "x").put("shipFrom", address().putNull("city")), "shipFrom.city"},
        {new JsonObject().put("slug", "t-1").put("name", "x").put("bannerUrl", "javascript:alert(1)"), "bannerUrl"},
        {new JsonObject().put("slug", "t-1").put("name", "x").put("color", "red"), "color"},
    };
    for (Object[] c : cases) {
      Resp r = sf.call("POST", "/api/storefronts", c[0], sf.operator);
      assertThat(r.status()).as(c[0].toString()).isEqualTo(400);
      assertThat(r.field()).as(c[0].toString()).isEqualTo(c[1]);
    }
    assertThat(sf.get("/api/storefronts/t-1").status()).isEqualTo(404);
  }

  @Test
  void hexThemesAreAccepted() throws Exception {
    Resp r = sf.call("POST", "/api/storefronts", new JsonObject().put("slug", "hexy").put("name", "Hexy")
        .put("theme", new JsonObject().put("preset", "dark").put("colors", new JsonObject().put("primary", "#ABC")
            .put("accent", "#a1b2c3").put("background", "#000000").put("text", "#fff"))), sf.operator);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().getJsonObject("theme").getJsonObject("colors").getString("primary")).isEqualTo("#abc");
    assertThat(r.json().getString("ownerId")).as("defaults to the creating operator").isEqualTo("test-operator");
  }

  @Test
  void onlyOperatorsCreate() throws Exception {
    Resp r = sf.call("POST", "/api/storefronts", new JsonObject().put("slug", "mine").put("name", "x"),
        StorefrontFixture.vendor("bob"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(sf.call("POST", "/api/storefronts", new JsonObject().put("slug", "mine").put("name", "x"), null)
        .status()).isEqualTo(401);
  }

  @Test
  void ownerAndOperatorEditAnyoneElseIs403() throws Exception {
    sf.shop("carols", "carol");
    Resp own = sf.call("PATCH", "/api/storefronts/carols", new JsonObject().put("bio", "new bio")
        .put("theme", new JsonObject().put("preset", "arena").put("palette", "neon")).put("shipFrom", address()),
        StorefrontFixture.vendor("carol"));
    assertThat(own.status()).as(own.toString()).isEqualTo(200);
    assertThat(own.json().getString("bio")).isEqualTo("new bio");
    assertThat(own.json().getString("name")).as("untouched fields stay").isEqualTo("Shop carols");

    Resp other = sf.call("PATCH", "/api/storefronts/carols", new JsonObject().put("bio", "hacked"),
        StorefrontFixture.vendor("mallory"));
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.json().getString("message")).isEqualTo("no access to this shop");
    assertThat(sf.get("/api/storefronts/carols").json().getString("bio")).isEqualTo("new bio");
    assertThat(sf.call("PATCH", "/api/storefronts/carols", new JsonObject().put("theme", "garbage"),
        StorefrontFixture.vendor("mallory")).status()).as("a stranger learns nothing about the body").isEqualTo(403);

    Resp handOver = sf.call("PATCH", "/api/storefronts/carols", new JsonObject().put("ownerId", "mallory"),
        StorefrontFixture.vendor("carol"));
    assertThat(handOver.status()).as("only operators change owners").isEqualTo(403);

    Resp op = sf.call("PATCH", "/api/storefronts/carols", new JsonObject().put("name", "Carol's Cards")
        .put("ownerId", "dave"), sf.operator);
    assertThat(op.status()).isEqualTo(200);
    assertThat(op.json().getString("ownerId")).isEqualTo("dave");
    assertThat(sf.call("PATCH", "/api/storefronts/carols", new JsonObject().put("bio", "x"),
        StorefrontFixture.vendor("carol")).status()).as("the old owner lost access").isEqualTo(403);
    assertThat(sf.call("PATCH", "/api/storefronts/nobody-here", new JsonObject().put("bio", "x"), sf.operator)
        .status()).isEqualTo(404);
    assertThat(sf.call("PATCH", "/api/storefronts/carols", new JsonObject().put("slug", "new-slug"), sf.operator)
        .status()).isEqualTo(400);
  }
}
