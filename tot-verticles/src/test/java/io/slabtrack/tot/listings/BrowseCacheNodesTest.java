package io.slabtrack.tot.listings;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.tot.TotApp;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ToT browse served from each node's cache, two ToT nodes on one database: a listing played to the end on one node
 * is gone from the other node's very next answer (API and page), and a late, older publish can't bring a withdrawn one back.
 */
class BrowseCacheNodesTest {
  private static TotFixture tot;
  private static TestNode second;

  @BeforeAll
  static void start() throws Exception {
    tot = TotFixture.start();
    second = TestNode.start(Map.of("TOT_DB", tot.node.database(AppName.TOT).database()), new TotApp());
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) {
      second.close();
    }
    if (tot != null) {
      tot.close();
    }
  }

  private static HttpResponse<String> get(TestNode node, String path) throws Exception {
    HttpResponse<String> r = TotFixture.HTTP.send(HttpRequest.newBuilder(URI.create(node.url(AppName.TOT, path)))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    TotFixture.CONTRACT.check("GET", path, r.statusCode(), r.headers().map(), r.body());
    return r;
  }

  private static JsonObject browse(TestNode node) throws Exception {
    HttpResponse<String> r = get(node, "/api/listings?limit=100");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static List<String> keys(TestNode node) throws Exception {
    List<String> out = new ArrayList<>();
    JsonArray items = browse(node).getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      out.add(items.getJsonObject(i).getString("listingKey"));
    }
    return out;
  }

  private static boolean check(Check c) {
    try {
      return c.run();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private interface Check {
    boolean run() throws Exception;
  }

  @Test
  void aListingPlayedOnOneNodeLeavesTheOtherNodesBrowseAtOnce() throws Exception {
    tot.ingest(TotFixture.single("publish", 91_001, 1, 2_000));
    tot.ingest(TotFixture.single("publish", 91_002, 1, 3_000));
    Poll.until("the second node shows both", Duration.ofSeconds(5),
        () -> check(() -> keys(second).containsAll(List.of("card:91001", "card:91002"))));
    long total = browse(second).getLong("total");
    assertThat(get(second, "/").body()).contains("Player 91001");

    // the settlement of a play, as the first node records it (SettleSql)
    tot.sql("UPDATE listings SET status = 'COMPLETED', updated_at = now() WHERE listing_key = 'card:91001'");
    // the very next request to the other node: no waiting, no polling
    assertThat(keys(second)).doesNotContain("card:91001").contains("card:91002");
    assertThat(browse(second).getLong("total")).as("the maintained count").isEqualTo(total - 1);
    assertThat(get(second, "/").body()).doesNotContain("Player 91001").contains("Player 91002");
  }

  @Test
  void aLateOlderPublishCannotBringAWithdrawnListingBack() throws Exception {
    tot.ingest(TotFixture.single("publish", 92_001, 2, 2_000));
    Poll.until("both nodes show it", Duration.ofSeconds(5),
        () -> check(() -> keys(second).contains("card:92001") && keys(tot.node).contains("card:92001")));
    tot.ingest(TotFixture.single("disengage", 92_001, 3, 2_000));
    JsonObject late = tot.ingest(TotFixture.single("publish", 92_001, 1, 2_000));
    assertThat(late.getBoolean("applied")).isFalse();
    assertThat(keys(second)).doesNotContain("card:92001");
    assertThat(keys(tot.node)).doesNotContain("card:92001");
  }
}
