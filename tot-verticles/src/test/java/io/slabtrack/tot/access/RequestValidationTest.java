package io.slabtrack.tot.access;

import static io.slabtrack.cluster.testing.ApiRefusals.assertInvalidField;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.ApiRefusals;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ToT's JSON API refuses malformed requests the way core's does: checked against {@code openapi/tot.json} (shapes,
 * types, bounds) and by the shared email / postal-address rules (content), each refusal the shared 400 naming the
 * field, with nothing changed; its paged lists obey the shared paging bounds.
 */
class RequestValidationTest {
  private static TotFixture tot;
  private static long listingId;

  @BeforeAll
  static void start() throws Exception {
    tot = TotFixture.start();
    tot.ingest(TotFixture.single("publish", 7, 1, 5_000));
    listingId = tot.get("/api/listings").json().getJsonArray("items").getJsonObject(0).getLong("id");
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
  }

  private static JsonObject play() {
    return new JsonObject().put("listingIds", new JsonArray().add(listingId)).put("email", "buyer@example.com")
        .put("shippingAddress", new JsonObject().put("name", "B Buyer").put("line1", "1 Main St")
            .put("city", "Memphis").put("postalCode", "38103").put("country", "US"));
  }

  private static ApiRefusals.Answer flip(JsonObject body) throws Exception {
    return ApiRefusals.send(tot.node, AppName.TOT, "POST", "/api/play/flip", body.encode(), null);
  }

  @Test
  void badPlayRequestsGetTheShared400NamingTheFieldAndChangeNothing() throws Exception {
    JsonObject noIds = play();
    noIds.remove("listingIds");
    assertInvalidField(flip(noIds), "listingIds");
    assertInvalidField(flip(play().put("listingIds", "1")), "listingIds");
    assertInvalidField(flip(play().put("listingIds", new JsonArray().add(0))), "listingIds[0]");
    assertInvalidField(flip(play().put("listingIds", new JsonArray().add(listingId).add(listingId))), "listingIds");
    assertInvalidField(flip(play().put("payment", "cash")), "payment");
    assertInvalidField(flip(play().put("email", 5)), "email");
    // the content rules are the shared ones, in the words the play page shows beside its field
    assertThat(assertInvalidField(flip(play().put("email", "nope")), "email"))
        .isEqualTo("email must be an email address");
    JsonObject noCountry = play();
    noCountry.getJsonObject("shippingAddress").remove("country");
    assertInvalidField(flip(noCountry), "shippingAddress.country");
    JsonObject longCountry = play();
    longCountry.getJsonObject("shippingAddress").put("country", "USA");
    assertInvalidField(flip(longCountry), "shippingAddress.country");
    JsonObject extra = play();
    extra.getJsonObject("shippingAddress").put("zip", "38103");
    assertInvalidField(flip(extra), "shippingAddress.zip");
    assertInvalidField(ApiRefusals.send(tot.node, AppName.TOT, "POST", "/api/play/some-play/client-seed",
        new JsonObject().put("clientSeed", "").encode(), null), "clientSeed");

    assertThat(tot.count("SELECT count(*) FROM plays")).as("nothing committed").isZero();
    assertThat(tot.locked(tot.cardsOf(listingId))).as("nothing locked").isFalse();
  }

  @Test
  void pagedListsObeyTheSharedPagingBounds() throws Exception {
    ApiRefusals.assertSharedPaging(tot.node, AppName.TOT, "/api/listings", null);
    ApiRefusals.assertSharedPaging(tot.node, AppName.TOT, "/api/admin/orders", tot.operator);
    ApiRefusals.assertSharedPaging(tot.node, AppName.TOT, "/api/admin/plays", tot.operator);
  }
}
