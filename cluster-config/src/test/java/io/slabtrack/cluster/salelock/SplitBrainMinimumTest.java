package io.slabtrack.cluster.salelock;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A member alone below HZ_MIN_MEMBERS must refuse to lock (a minority side must not grant a second lock). */
class SplitBrainMinimumTest {

  @Test
  void aLoneMemberBelowTheMinimumRefusesToLock() throws Exception {
    AppModule module = new BareModule(AppName.TOT);
    try (TestNode node = TestNode.start(Map.of("HZ_MIN_MEMBERS", "2"), module)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String body = new JsonObject().put("cardIds", new io.vertx.core.json.JsonArray().add(42)).put("channel",
          "thisorthat").put("lockRef", "lonely-member-lock-ref-1").put("ttlSeconds", 60).encode();
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(node.url(AppName.TOT,
              "/api/sale-locks/acquire")))
          .header("Authorization", "Bearer " + TestTokens.service(TestNode.SECRET, AppName.STOREFRONT, AppName.TOT))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("cluster_unavailable");
      assertThat(new JsonObject(answer.body()).getJsonObject("details").getString("reason"))
          .isEqualTo("below_split_brain_minimum");
      assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
      // the lock service refuses reads too while below the minimum: nothing was written, nothing can be seen
      SaleLocks locks = node.runtime(AppName.TOT).context().saleLocks();
      var read = locks.holders(java.util.List.of(42L));
      try {
        read.await(10, java.util.concurrent.TimeUnit.SECONDS);
        throw new AssertionError("a read below the minimum should be refused");
      } catch (io.slabtrack.cluster.http.ApiException e) {
        assertThat(e.status()).isEqualTo(503);
      }
    }
  }
}
