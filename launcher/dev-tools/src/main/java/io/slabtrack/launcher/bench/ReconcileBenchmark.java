package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.cluster.db.PgPools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = "Reconciler: N cards engaged on ToT and on a Storefront shop, each satellite a real node in its own "
        + "JVM. Times a report run with no drift, a report run after drift is injected, the heal of it and the clean "
        + "run after. Anchor: reading the same rows straight from the three databases in this JVM.")
public final class ReconcileBenchmark implements Callable<Integer> {
  private static final int IMPORT_CHUNK = 10_000;
  private static final int COMMIT_CARDS = 2_500;

  @Option(names = "--cards", defaultValue = "20000", description = "engaged cards (default ${DEFAULT-VALUE})")
  int cards;

  @Option(names = "--drift", defaultValue = "200",
      description = "shop listings deleted behind core's back before the drift run (default ${DEFAULT-VALUE})")
  int drift;

  @Override
  public Integer call() throws Exception {
    int totHz = BenchCluster.freePort();
    int shopHz = BenchCluster.freePort();
    int shopHttp = BenchCluster.freePort();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    List<String> rows = new ArrayList<>();
    try (BenchCore core = BenchCore.start("127.0.0.1:" + totHz + ",127.0.0.1:" + shopHz)) {
      PgSettings server = core.node.services().config().pgServer();
      PgSettings totDb = server.withDatabase("slabtrack_bench_tot_" + suffix);
      PgSettings shopDb = server.withDatabase("slabtrack_bench_storefront_" + suffix);
      Databases.ensureExists(totDb);
      Databases.ensureExists(shopDb);
      String members = "127.0.0.1:" + core.hzPort + ",127.0.0.1:" + totHz + ",127.0.0.1:" + shopHz;
      Process tot = BenchCluster.startNode(childEnv(core, totHz, BenchCluster.freePort(), members, "TOT_DB",
          totDb.database()), "tot");
      Process shop = BenchCluster.startNode(childEnv(core, shopHz, shopHttp, members, "STOREFRONT_DB",
          shopDb.database()), "storefront");
      Vertx vertx = core.node.services().cluster().vertx();
      Pool totPool = PgPools.create(vertx, totDb, 2);
      Pool shopPool = PgPools.create(vertx, shopDb, 2);
      try {
        Waits.untilAnswered(vertx, Addresses.ping(AppName.TOT), tot);
        Waits.untilAnswered(vertx, Addresses.ping(AppName.STOREFRONT), shop);
        Waits.untilReady(shopHttp, shop);
        HttpResponse<String> created = core.callPort(AppName.STOREFRONT, shopHttp, "POST", "/api/storefronts",
            new JsonObject().put("slug", "bench").put("name", "Bench shop").encode());
        if (created.statusCode() != 201) {
          throw new IllegalStateException("shop not created: " + created.statusCode() + " " + created.body());
        }
        long setup = System.nanoTime();
        List<Long> ids = new ArrayList<>();
        for (int from = 0; from < cards; from += IMPORT_CHUNK) {
          ids.addAll(core.importCards(Math.min(IMPORT_CHUNK, cards - from), "benchrec-" + suffix + "-" + from));
        }
        for (int from = 0; from < ids.size(); from += COMMIT_CARDS) {
          core.engage(ids.subList(from, Math.min(from + COMMIT_CARDS, ids.size())), List.of("thisorthat", "storefront"));
        }
        untilQuiet(core, totPool, shopPool);
        System.out.printf("setup: %,d cards imported, engaged on both satellites and acknowledged in %.1f s%n",
            ids.size(), (System.nanoTime() - setup) / 1e9);

        rows.add(anchor(core.pool(), totPool, shopPool));
        rows.add(row("report, no drift", run(core, "report"), 0));
        shopPool.preparedQuery("DELETE FROM storefront_cards WHERE slabtrack_card_id = ANY($1)")
            .execute(Tuple.of((Object) ids.subList(0, Math.min(drift, ids.size())).toArray(new Long[0]))).await();
        rows.add(row("report, " + drift + " listings missing", run(core, "report"), drift));
        rows.add(row("heal of them", run(core, "heal"), drift));
        untilQuiet(core, totPool, shopPool);
        rows.add(row("report after the heal", run(core, "report"), 0));
      } finally {
        tot.destroy();
        shop.destroy();
        tot.waitFor();
        shop.waitFor();
        totPool.close();
        shopPool.close();
        Databases.drop(totDb);
        Databases.drop(shopDb);
      }
    }
    System.out.println();
    System.out.println("### reconciler over " + cards + " cards engaged on ToT and a Storefront shop (3 JVMs)");
    System.out.println("| run | seconds | listings compared | drift found | healed |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
    return 0;
  }

  private static Map<String, String> childEnv(BenchCore core, int hzPort, int httpPort, String members, String dbVar,
                                              String db) {
    Map<String, String> env = new HashMap<>(BenchCluster.env(core.clusterName, hzPort, members));
    env.put("JWT_SECRET", core.env.get("JWT_SECRET"));
    env.put("HTTP_PORT", String.valueOf(httpPort));
    env.put(dbVar, db);
    env.put("OUTBOX_POLL_MS", "200");
    return env;
  }

  /** Every outbox of the three apps is empty of pending messages. */
  private static void untilQuiet(BenchCore core, Pool tot, Pool shop) throws Exception {
    String pending = "SELECT count(*) FROM outbox WHERE status = 'pending'";
    long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      long left = 0;
      for (Pool p : List.of(core.pool(), tot, shop)) {
        left += p.query(pending).execute().await().iterator().next().getLong(0);
      }
      if (left == 0) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("outboxes not drained within 30 minutes");
  }

  /** The floor: the same rows read straight from the databases, no bus, no paging, no comparison. */
  private String anchor(Pool core, Pool tot, Pool shop) {
    long started = System.nanoTime();
    long n = core.query("SELECT c.id, c.version, cc.status FROM card_channels cc JOIN cards c ON c.id = cc.card_id "
        + "WHERE cc.channel IN ('thisorthat', 'storefront')").execute().await().size();
    n += tot.query("SELECT l.status, lc.card_id, lc.version FROM listings l JOIN listing_cards lc ON lc.listing_id = l.id")
        .execute().await().size();
    n += shop.query("SELECT slabtrack_card_id, version, listed, status FROM storefront_cards").execute().await().size();
    double seconds = (System.nanoTime() - started) / 1e9;
    return String.format("| anchor: read the same rows straight from the 3 databases (%,d rows) | %.2f | – | – | – |",
        n, seconds);
  }

  private static JsonObject run(BenchCore core, String mode) throws Exception {
    HttpResponse<String> started = core.call("POST", "/api/reconciler/runs",
        new JsonObject().put("mode", mode).put("graceSeconds", 0).encode());
    if (started.statusCode() != 202) {
      throw new IllegalStateException("run refused: " + started.statusCode() + " " + started.body());
    }
    String id = new JsonObject(started.body()).getString("id");
    while (true) {
      JsonObject run = new JsonObject(core.call("GET", "/api/reconciler/runs/" + id, null).body());
      if (!"running".equals(run.getString("status"))) {
        if (!"done".equals(run.getString("status"))) {
          throw new IllegalStateException("run failed: " + run.encode());
        }
        return run;
      }
      Thread.sleep(50);
    }
  }

  private static String row(String name, JsonObject run, int expectedDrift) {
    JsonObject channels = run.getJsonObject("channels");
    int listings = 0;
    for (String ch : List.of("thisorthat", "storefront")) {
      JsonObject c = channels.getJsonObject(ch, new JsonObject());
      if (!c.getBoolean("reachable", false)) {
        throw new IllegalStateException(ch + " unreachable in run " + run.encode());
      }
      listings += c.getInteger("listings", 0);
    }
    int found = run.getJsonObject("counts").getInteger("total");
    if (found != expectedDrift) {
      throw new IllegalStateException("expected " + expectedDrift + " drift, found " + found + ": "
          + run.getJsonObject("counts").encode());
    }
    return String.format("| %s | %.2f | %,d | %,d | %,d |", name, run.getLong("durationMs") / 1000.0, listings, found,
        run.getInteger("healed"));
  }
}
