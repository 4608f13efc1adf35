package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.simulator.stripe.StripeSimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A shop that takes paid checkouts, for the checkout and soak benchmarks: core in this JVM, the Stripe simulator in
 * this JVM too (on a Vert.x of its own), and the Storefront a real node in a JVM of its own — so the app's memory is
 * measured apart from the simulator's and the load generator's. The shop "bench" is connected through the
 * simulator's onboarding, and {@code cards} cards are engaged on it, each bought at most once.
 */
final class StorefrontRig implements AutoCloseable {
  private static final int IMPORT_CHUNK = 10_000;
  private static final int COMMIT_CARDS = 2_500;

  final BenchCore core;
  final Process storefront;
  final int storefrontHttp;
  final Vertx simVertx;
  final String simBase;
  final Pool shopPool;
  final List<Long> cardIds = new ArrayList<>();
  private final PgSettings shopDb;
  /** An operator's session for the Storefront (a token's audience is one app: core's would be refused). */
  private final String operatorToken;
  private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
      .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

  private StorefrontRig(BenchCore core, Process storefront, int storefrontHttp, Vertx simVertx, String simBase,
                        Pool shopPool, PgSettings shopDb) {
    this.core = core;
    this.storefront = storefront;
    this.storefrontHttp = storefrontHttp;
    this.simVertx = simVertx;
    this.simBase = simBase;
    this.shopPool = shopPool;
    this.shopDb = shopDb;
    this.operatorToken = core.node.services().tokens().mintSession("bench-operator", "bench@slabtrack.local",
        java.util.Set.of(io.slabtrack.cluster.auth.Role.OPERATOR), AppName.STOREFRONT, java.time.Duration.ofHours(1));
  }

  /** The operator's call to the Storefront node. */
  HttpResponse<String> call(String method, String path, String body) throws Exception {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(storefrontUrl(path)))
        .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
        .timeout(java.time.Duration.ofMinutes(2));
    b = body == null ? b.method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
        : b.method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static StorefrontRig start(int cards, String storefrontHeap) throws Exception {
    int shopHz = BenchCluster.freePort();
    int shopHttp = BenchCluster.freePort();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    BenchCore core = BenchCore.start("127.0.0.1:" + shopHz);
    PgSettings shopDb = core.node.services().config().pgServer().withDatabase("slabtrack_bench_storefront_" + suffix);
    Databases.ensureExists(shopDb);
    String shopBase = "http://127.0.0.1:" + shopHttp;
    Vertx simVertx = Vertx.vertx();
    StripeSimulatorVerticle sim = new StripeSimulatorVerticle(new JsonObject().put("port", 0)
        .put("webhooks", new JsonArray()
            .add(StripeSimulatorVerticle.endpoint(shopBase + "/api/stripe/webhook",
                StripeSettings.DEV_STOREFRONT_WEBHOOK_SECRET, false))
            .add(StripeSimulatorVerticle.endpoint(shopBase + "/api/stripe/connect/webhook",
                StripeSettings.DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET, true))));
    simVertx.deployVerticle(sim).await();

    String members = "127.0.0.1:" + core.hzPort + ",127.0.0.1:" + shopHz;
    Map<String, String> env = new HashMap<>(BenchCluster.env(core.clusterName, shopHz, members));
    env.put("JWT_SECRET", core.env.get("JWT_SECRET"));
    env.put("HTTP_PORT", String.valueOf(shopHttp));
    env.put("STOREFRONT_DB", shopDb.database());
    env.put("OUTBOX_POLL_MS", "200");
    env.put("STRIPE_SECRET_KEY", StripeSettings.SIMULATOR_KEY);
    env.put("STRIPE_API_BASE", sim.baseUrl());
    env.put("STOREFRONT_STRIPE_WEBHOOK_SECRET", StripeSettings.DEV_STOREFRONT_WEBHOOK_SECRET);
    env.put("STOREFRONT_STRIPE_CONNECT_WEBHOOK_SECRET", StripeSettings.DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET);
    // the default buyer limits, as a real shop runs them: the load generator sends each buyer from an address of its
    // own through the proxy header a real deployment trusts (limits of 1,000,000 made every pending count walk every
    // open checkout of the one load-generator address, a cost no real shop has, and the soak stalled on it)
    env.put("TRUST_FORWARDED_FOR", "true");
    Process shop = BenchCluster.startNode(env, "storefront", storefrontHeap);
    Pool shopPool = PgPools.create(core.node.services().cluster().vertx(), shopDb, 2);
    StorefrontRig rig = new StorefrontRig(core, shop, shopHttp, simVertx, sim.baseUrl(), shopPool, shopDb);
    try {
      rig.openShop(); // waits for the node's HTTP port (up to 5 minutes: a busy machine starts nodes slowly)
      rig.engage(cards, suffix);
    } catch (Exception e) {
      rig.close();
      throw e;
    }
    return rig;
  }

  private void openShop() throws Exception {
    long up = System.nanoTime() + 300_000_000_000L;
    while (true) { // the bus answers before the HTTP server listens
      try {
        call("GET", "/api/storefronts/none", null);
        break;
      } catch (java.io.IOException notYet) {
        if (System.nanoTime() > up || !storefront.isAlive()) {
          throw new IllegalStateException("the Storefront node's HTTP port did not open", notYet);
        }
        Thread.sleep(250);
      }
    }
    HttpResponse<String> created = call("POST", "/api/storefronts",
        new JsonObject().put("slug", "bench").put("name", "Bench shop").put("ownerId", "bench-owner").encode());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("shop not created: " + created.statusCode() + " " + created.body());
    }
    HttpResponse<String> onboarding = call("POST", "/api/storefronts/bench/stripe/onboarding", null);
    if (onboarding.statusCode() / 100 != 2) {
      throw new IllegalStateException("onboarding refused: " + onboarding.statusCode() + " " + onboarding.body());
    }
    String link = new JsonObject(onboarding.body()).getString("url");
    java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(link)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!new JsonObject(call("GET", "/api/storefronts/bench", null).body())
        .getBoolean("acceptingOrders", false)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the bench shop was not connected to Stripe within 60 s");
      }
      Thread.sleep(200);
    }
  }

  private void engage(int cards, String suffix) throws Exception {
    long started = System.nanoTime();
    for (int from = 0; from < cards; from += IMPORT_CHUNK) {
      cardIds.addAll(core.importCards(Math.min(IMPORT_CHUNK, cards - from), "benchsf-" + suffix + "-" + from));
    }
    for (int from = 0; from < cardIds.size(); from += COMMIT_CARDS) {
      core.engage(cardIds.subList(from, Math.min(from + COMMIT_CARDS, cardIds.size())), List.of("storefront"));
    }
    long deadline = System.nanoTime() + 20L * 60 * 1_000_000_000L;
    while (listed() < cardIds.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("cards not listed in the shop within 20 minutes: " + listed());
      }
      Thread.sleep(250);
    }
    System.out.printf("setup: %,d cards imported and listed in the bench shop in %.1f s%n", cardIds.size(),
        (System.nanoTime() - started) / 1e9);
  }

  private long listed() {
    return shopPool.query("SELECT count(*) FROM storefront_cards WHERE shop_slug = 'bench' AND listed")
        .execute().await().iterator().next().getLong(0);
  }

  String storefrontUrl(String path) {
    return "http://127.0.0.1:" + storefrontHttp + path;
  }

  /** Orders by state, e.g. {@code {paid: 7959, pending: 3}}. */
  JsonObject ordersByState() {
    JsonObject out = new JsonObject();
    shopPool.query("SELECT state, count(*) FROM orders GROUP BY state").execute().await()
        .forEach(r -> out.put(r.getString(0), r.getLong(1)));
    return out;
  }

  @Override
  public void close() throws Exception {
    storefront.destroy();
    storefront.waitFor();
    shopPool.close();
    simVertx.close().await();
    core.close();
    Databases.drop(shopDb);
  }
}
