package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciler across JVMs: core pages through both satellites' snapshots over the clustered bus, heals a listing
 * the Storefront lost, and finishes a run while ToT's node has been killed with that channel marked unreachable and
 * nothing sent its way.
 */
class ReconcilerClusterIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SHOP = "it-recon-shop";
  private static ClusterFixture cluster;
  private static String secret;
  private static Vertx vertx;
  private static final Map<AppName, Pool> pools = new EnumMap<>(AppName.class);

  @BeforeAll
  static void start() throws Exception {
    cluster = ClusterFixture.shared();
    secret = cluster.jwtSecret();
    vertx = Vertx.vertx();
    for (AppName app : AppName.values()) {
      pools.put(app, PgPools.create(vertx, cluster.database(app), 2));
    }
    HttpResponse<String> shop = call(AppName.STOREFRONT, "POST", "/api/storefronts",
        new JsonObject().put("slug", SHOP).put("name", "IT reconcile"));
    assertThat(shop.statusCode()).as(shop.body()).isIn(201, 409);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static HttpResponse<String> call(AppName app, String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.node(app).url(path)))
        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TestTokens.operator(secret, app))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long count(AppName app, String sql, Object... params) {
    return pools.get(app).preparedQuery(sql).execute(Tuple.from(params)).await().iterator().next().getLong(0);
  }

  private static void quiet() throws InterruptedException {
    Poll.until("outboxes drained", WAIT, () -> List.of(AppName.CORE, AppName.TOT, AppName.STOREFRONT).stream()
        .allMatch(app -> count(app, "SELECT count(*) FROM outbox WHERE status = 'pending'") == 0));
  }

  private static JsonObject run(String mode) throws Exception {
    HttpResponse<String> started = call(AppName.CORE, "POST", "/api/reconciler/runs",
        new JsonObject().put("mode", mode).put("graceSeconds", 0));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String id = new JsonObject(started.body()).getString("id");
    JsonObject[] last = new JsonObject[1];
    Poll.until("run finished", Duration.ofSeconds(120), () -> {
      try {
        last[0] = new JsonObject(call(AppName.CORE, "GET", "/api/reconciler/runs/" + id, null).body());
        return !"running".equals(last[0].getString("status"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(last[0].getString("status")).as(last[0].encodePrettily()).isEqualTo("done");
    return last[0];
  }

  @Test
  void driftIsFoundAndHealedAcrossJvmsAndAKilledSatelliteIsMarkedUnreachable() throws Exception {
    HttpResponse<String> created = call(AppName.CORE, "POST", "/api/cards", new JsonObject()
        .put("player", "Cluster Reconcile " + UUID.randomUUID()).put("year", 2021).put("gradingCompany", "PSA")
        .put("grade", 10).put("askingPrice", 12_500));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = new JsonObject(created.body()).getLong("id");
    // the commit body is a JSON array
    HttpRequest commit = HttpRequest.newBuilder(URI.create(cluster.node(AppName.CORE).url("/api/channels/commit")))
        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TestTokens.operator(secret))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonArray()
            .add(new JsonObject().put("cardId", id).put("channel", "thisorthat"))
            .add(new JsonObject().put("cardId", id).put("channel", "storefront").put("shop", SHOP)).encode()))
        .build();
    HttpResponse<String> committed = HTTP.send(commit, HttpResponse.BodyHandlers.ofString());
    assertThat(committed.statusCode()).as(committed.body()).isEqualTo(200);
    Poll.until("listed on both satellites", WAIT, () -> count(AppName.TOT,
        "SELECT count(*) FROM listing_cards lc JOIN listings l ON l.id = lc.listing_id "
            + "WHERE lc.card_id = $1 AND l.status = 'ACTIVE'", id) == 1
        && count(AppName.STOREFRONT, "SELECT count(*) FROM storefront_cards WHERE slabtrack_card_id = $1 AND listed",
            id) == 1);
    quiet();
    // the cluster is shared: other ITs leave locks no checkout stands behind (orphans, rightly); clear them first
    run("heal");
    quiet();

    JsonObject clean = run("report");
    assertThat(clean.getJsonObject("counts").getInteger("total")).as(clean.encodePrettily()).isZero();
    assertThat(clean.getJsonObject("channels").getJsonObject("thisorthat").getBoolean("reachable")).isTrue();
    assertThat(clean.getJsonObject("channels").getJsonObject("storefront").getBoolean("reachable")).isTrue();

    // the Storefront loses the card behind core's back
    pools.get(AppName.STOREFRONT).preparedQuery("DELETE FROM storefront_cards WHERE slabtrack_card_id = $1")
        .execute(Tuple.of(id)).await();
    JsonObject found = run("report");
    assertThat(found.getJsonObject("counts").getInteger("stale_engage")).isEqualTo(1);
    assertThat(found.getJsonObject("counts").getInteger("total")).isEqualTo(1);
    assertThat(run("heal").getInteger("healed")).isEqualTo(1);
    Poll.until("back in the shop", WAIT, () -> count(AppName.STOREFRONT,
        "SELECT count(*) FROM storefront_cards WHERE slabtrack_card_id = $1 AND listed", id) == 1);
    quiet();
    assertThat(run("report").getJsonObject("counts").getInteger("total")).isZero();

    // ToT's only node dies; ToT's listing drifts meanwhile (a manual edit): the run completes without it
    pools.get(AppName.TOT).preparedQuery("UPDATE listings SET status = 'WITHDRAWN' WHERE listing_key = $1")
        .execute(Tuple.of("card:" + id)).await();
    cluster.node(AppName.TOT).kill9();
    try {
      long pendingBefore = count(AppName.CORE, "SELECT count(*) FROM outbox WHERE address = 'tot.cards.publish' "
          + "AND status = 'pending'");
      JsonObject withoutTot = run("heal");
      JsonObject tot = withoutTot.getJsonObject("channels").getJsonObject("thisorthat");
      assertThat(tot.getBoolean("reachable")).as(withoutTot.encodePrettily()).isFalse();
      assertThat(withoutTot.getJsonObject("channels").getJsonObject("storefront").getBoolean("reachable")).isTrue();
      assertThat(withoutTot.getInteger("healed")).isZero();
      assertThat(count(AppName.CORE, "SELECT count(*) FROM outbox WHERE address = 'tot.cards.publish' "
          + "AND status = 'pending'")).as("nothing sent to the unreachable channel").isEqualTo(pendingBefore);
    } finally {
      cluster.restart(AppName.TOT);
    }
    JsonObject afterRestart = run("report");
    assertThat(afterRestart.getJsonObject("counts").getInteger("stale_engage")).isEqualTo(1);
    assertThat(run("heal").getInteger("healed")).isEqualTo(1);
    Poll.until("relisted in ToT", WAIT, () -> count(AppName.TOT,
        "SELECT count(*) FROM listings WHERE listing_key = $1 AND status = 'ACTIVE'", "card:" + id) == 1);
  }
}
