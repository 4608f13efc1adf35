package io.slabtrack.cluster.salelock;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lock API over HTTP as the original spoke it: bodies, auth, errors, operator views. */
class SaleLockHttpTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static TestNode node;
  private static String service;
  private static String operator;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new BareModule(AppName.CORE));
    service = TestTokens.service(TestNode.SECRET, AppName.STOREFRONT, AppName.CORE);
    operator = TestTokens.operator(TestNode.SECRET);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(AppName.CORE, path)))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject lockBody(long card, String lockRef) {
    return new JsonObject().put("cardIds", new JsonArray().add(card)).put("channelSlug", "storefront")
        .put("lockRef", lockRef).put("ttlSeconds", 600);
  }

  @Test
  void theOriginalsBodyLocksAndOnlyTheHolderReleases() throws Exception {
    long card = 900_001;
    HttpResponse<String> ok = send("POST", "/api/sale-locks/acquire", service,
        lockBody(card, "http-test-lock-ref-01").encode());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(new JsonObject(ok.body()).getJsonArray("locks").getJsonObject(0).getString("channel"))
        .isEqualTo("storefront");

    HttpResponse<String> taken = send("POST", "/api/sale-locks/acquire", service,
        lockBody(card, "http-test-lock-ref-02").encode());
    assertThat(taken.statusCode()).isEqualTo(409);

    HttpResponse<String> wrongRelease = send("POST", "/api/sale-locks/release", service,
        new JsonObject().put("lockRef", "http-test-lock-ref-02").encode());
    assertThat(wrongRelease.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(wrongRelease.body()).getString("error")).isEqualTo("lock_not_held");

    HttpResponse<String> list = send("GET", "/api/sale-locks", operator, null);
    assertThat(list.statusCode()).isEqualTo(200);
    JsonObject listed = new JsonObject(list.body()).getJsonArray("locks").stream().map(JsonObject.class::cast)
        .filter(l -> l.getLong("cardId") == card).findFirst().orElseThrow();
    assertThat(listed.getLong("remainingSeconds")).isBetween(590L, 600L);
    assertThat(send("GET", "/api/sale-locks", service, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/api/sale-locks", TestTokens.buyer(TestNode.SECRET), null).statusCode()).isEqualTo(403);
    assertThat(send("POST", "/api/sale-locks/acquire", null, lockBody(card, "http-test-lock-ref-03").encode())
        .statusCode()).isEqualTo(401);

    HttpResponse<String> released = send("POST", "/api/sale-locks/release", service,
        new JsonObject().put("lockRef", "http-test-lock-ref-01").encode());
    assertThat(new JsonObject(released.body()).getInteger("released")).isEqualTo(1);
  }

  @Test
  void badBodiesAre400sNamingTheField() throws Exception {
    String[][] cases = {
        {"{\"cardIds\":[],\"channel\":\"storefront\",\"lockRef\":\"http-test-lock-ref-10\"}", "cardIds"},
        {"{\"cardIds\":[1,1],\"channel\":\"storefront\",\"lockRef\":\"http-test-lock-ref-10\"}", "cardIds"},
        {"{\"cardIds\":[\"x\"],\"channel\":\"storefront\",\"lockRef\":\"http-test-lock-ref-10\"}", "cardIds"},
        {"{\"cardIds\":[1],\"channel\":\"etsy\",\"lockRef\":\"http-test-lock-ref-10\"}", "channel"},
        {"{\"cardIds\":[1],\"channel\":\"storefront\",\"lockRef\":\"short\"}", "lockRef"},
        {"{\"cardIds\":[1],\"channel\":\"storefront\",\"lockRef\":\"http-test-lock-ref-10\",\"ttlSeconds\":0}",
            "ttlSeconds"},
        {"{\"cardIds\":[1],\"channel\":\"storefront\",\"lockRef\":\"http-test-lock-ref-10\",\"ttlSeconds\":99999}",
            "ttlSeconds"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = send("POST", "/api/sale-locks/acquire", service, c[0]);
      assertThat(r.statusCode()).as(c[0] + " → " + r.body()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getJsonObject("details").getString("field")).isEqualTo(c[1]);
    }
    assertThat(send("POST", "/api/sale-locks/acquire", service, "not json").statusCode()).isEqualTo(400);
    // nothing was locked by any of them
    HttpResponse<String> probe = send("GET", "/api/sale-locks/1", operator, null);
    assertThat(new JsonObject(probe.body()).getValue("lock")).isNull();
  }

  @Test
  void anOperatorCanForceReleaseACard() throws Exception {
    long card = 900_002;
    send("POST", "/api/sale-locks/acquire", service, lockBody(card, "http-test-lock-ref-20").encode());
    assertThat(send("DELETE", "/api/sale-locks/" + card, operator, null).statusCode()).isEqualTo(204);
    assertThat(send("DELETE", "/api/sale-locks/" + card, operator, null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/api/sale-locks/abc", operator, null).statusCode()).isEqualTo(400);
    assertThat(send("POST", "/api/sale-locks/acquire", service, lockBody(card, "http-test-lock-ref-21").encode())
        .statusCode()).isEqualTo(200);
  }
}
