package io.slabtrack.storefront.cards;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static io.slabtrack.storefront.StorefrontFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.storefront.StorefrontApp;
import io.slabtrack.storefront.StorefrontFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Browse served from each node's cache, two Storefront nodes on one database: what one node sells is gone from the
 * other's very next answer, and an older event arriving late can't bring a sold card back.
 */
class BrowseCacheNodesTest {
  @RegisterExtension
  static final StorefrontFixture sf = StorefrontFixture.perClass();
  /** A second node of the same app: its own cache, the same database (its own cluster: the cache needs no bus). */
  static TestNode second;

  @BeforeAll
  static void start() throws Exception {
    second = TestNode.start(Map.of("STOREFRONT_DB", sf.node.database(AppName.STOREFRONT).database()),
        new StorefrontApp());
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) {
      second.close();
    }
  }

  private static JsonObject browse(TestNode node, String slug) throws Exception {
    HttpResponse<String> r = StorefrontFixture.HTTP.send(HttpRequest.newBuilder(
            URI.create(node.url(AppName.STOREFRONT, "/api/storefronts/" + slug + "/cards"))).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
    StorefrontFixture.CONTRACT.check("GET", "/api/storefronts/" + slug + "/cards", r.statusCode(), r.headers().map(),
        r.body());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static List<Long> ids(JsonObject page) {
    List<Long> out = new ArrayList<>();
    JsonArray items = page.getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      out.add(items.getJsonObject(i).getLong("slabtrackCardId"));
    }
    return out;
  }

  @Test
  void aCardSoldThroughOneNodeLeavesTheOtherNodesBrowseAtOnce() throws Exception {
    sf.shop("two-nodes", "erin");
    sf.publish(cardEvent("publish", "two-nodes", 81_001, 1, 1_000L, snapshot("Ja Morant", "Prizm", 10)));
    sf.publish(cardEvent("publish", "two-nodes", 81_002, 1, 2_000L, snapshot("Luka Doncic", "Prizm", 9)));
    StorefrontFixture.await("the second node shows both cards", Duration.ofSeconds(5),
        () -> call(() -> ids(browse(second, "two-nodes")).size() == 2));
    JsonObject before = browse(second, "two-nodes");
    assertThat(before.getLong("total")).isEqualTo(2);
    assertThat(page(second, "two-nodes")).contains("data-card-id=\"81001\"", "data-card-id=\"81002\"");

    // proof the second node answers from its cache: a change the triggers don't see (replica role) doesn't show
    sf.pool().query("SET session_replication_role = replica; UPDATE storefront_cards SET featured = true "
        + "WHERE slabtrack_card_id = 81002; SET session_replication_role = origin").execute()
        .await(30, TimeUnit.SECONDS);
    assertThat(browse(second, "two-nodes")).isEqualTo(before);

    // the sale, as the first node's checkout records it (OrderSql.CARDS_SOLD)
    sf.sql("UPDATE storefront_cards SET status = 'sold', updated_at = now() WHERE slabtrack_card_id = 81001");
    // the very next request to the other node: no waiting, no polling
    JsonObject after = browse(second, "two-nodes");
    assertThat(ids(after)).containsExactly(81_002L);
    assertThat(after.getLong("total")).as("the maintained count").isEqualTo(1);
    assertThat(browse(sf.node, "two-nodes")).isEqualTo(after);
    // the shop page, rendered once per version on each node, likewise
    assertThat(page(second, "two-nodes")).doesNotContain("data-card-id=\"81001\"").contains("data-card-id=\"81002\"");
  }

  private static String page(TestNode node, String slug) throws Exception {
    HttpResponse<String> r = StorefrontFixture.HTTP.send(HttpRequest.newBuilder(
            URI.create(node.url(AppName.STOREFRONT, "/s/" + slug))).timeout(Duration.ofSeconds(30))
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void aStaleEventCannotBringASoldElsewhereCardBack() throws Exception {
    sf.shop("stale-shop", "erin");
    sf.publish(cardEvent("publish", "stale-shop", 82_001, 2, 1_000L, snapshot("Ja Morant", "Prizm", 10)));
    StorefrontFixture.await("both nodes show the card", Duration.ofSeconds(5),
        () -> call(() -> ids(browse(second, "stale-shop")).contains(82_001L)
            && ids(browse(sf.node, "stale-shop")).contains(82_001L)));

    // core: sold on another channel (version 3); then the publish of version 1, delayed, arrives
    JsonObject off = cardEvent("disengage", "stale-shop", 82_001, 3, 1_000L, null).put("reason", "sold_elsewhere");
    assertThat(sf.publish(off).getString("outcome")).isEqualTo("applied");
    JsonObject late = cardEvent("publish", "stale-shop", 82_001, 1, 1_000L, snapshot("Ja Morant", "Prizm", 10));
    assertThat(sf.publish(late).getString("outcome")).isEqualTo("stale");

    assertThat(browse(second, "stale-shop").getJsonArray("items")).isEmpty();
    assertThat(browse(sf.node, "stale-shop").getJsonArray("items")).isEmpty();
    assertThat(browse(second, "stale-shop").getLong("total")).isZero();
    assertThat(browse(sf.node, "stale-shop").getLong("total")).isZero();
  }

  private interface Check {
    boolean run() throws Exception;
  }

  private static boolean call(Check c) {
    try {
      return c.run();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
