package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.cluster.db.Migrations;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.outbox.Inbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Core publish fan-out: engage N cards on a Storefront shop, then on ToT (2N publishes), "
        + "time until real ToT and Storefront nodes in their own JVMs have applied every publish (anchor: inbox "
        + "receivers that apply nothing, in core's own JVM).")
public final class PublishBenchmark implements Callable<Integer> {
  private static final List<String> ADDRESSES = List.of(Addresses.STOREFRONT_CARDS_PUBLISH, Addresses.TOT_CARDS_PUBLISH);

  @Option(names = "--cards", defaultValue = "5000",
      description = "cards engaged per run, each on the shop and on ToT (default ${DEFAULT-VALUE})")
  int cards;

  @Option(names = "--warmup-cards", defaultValue = "2000",
      description = "cards engaged the same way, unmeasured, right before each row: the receivers are JVMs started "
          + "for the run, and a cold JVM applies a batch several times slower (default ${DEFAULT-VALUE})")
  int warmupCards;

  @Override
  public Integer call() throws Exception {
    int totHz = BenchCluster.freePort();
    int shopHz = BenchCluster.freePort();
    int shopHttp = BenchCluster.freePort();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    List<String> rows = new ArrayList<>();
    try (BenchCore core = BenchCore.start("127.0.0.1:" + totHz + ",127.0.0.1:" + shopHz)) {
      PgSettings server = core.node.services().config().pgServer();
      PgSettings localInbox = server.withDatabase("slabtrack_bench_inbox_local_" + suffix);
      PgSettings totDb = server.withDatabase("slabtrack_bench_tot_" + suffix);
      PgSettings shopDb = server.withDatabase("slabtrack_bench_storefront_" + suffix);
      Databases.ensureExists(localInbox);
      Migrations.migrate(localInbox, "classpath:db/none");
      Databases.ensureExists(totDb);
      Databases.ensureExists(shopDb);
      Vertx vertx = core.node.services().cluster().vertx();
      try {
        List<Long> local = core.importCards(cards, "benchpub-local-" + suffix);
        List<Long> remote = core.importCards(cards, "benchpub-remote-" + suffix);
        List<Long> localWarmup = warmupCards > 0 ? core.importCards(warmupCards, "benchpub-local-warm-" + suffix)
            : List.of();
        List<Long> remoteWarmup = warmupCards > 0 ? core.importCards(warmupCards, "benchpub-remote-warm-" + suffix)
            : List.of();

        // anchor: the same fan-out to inbox receivers in core's JVM that apply nothing (no bus hop, no listing SQL)
        Pool localPool = PgPools.create(vertx, localInbox, 8);
        List<MessageConsumer<JsonObject>> sinks = new ArrayList<>();
        for (String address : ADDRESSES) {
          sinks.add(Inbox.consume(vertx, localPool, address, (tx, body) -> Future.succeededFuture(new JsonObject()))
              .await());
        }
        if (!localWarmup.isEmpty()) {
          timeEngage(core, localWarmup);
          vacuum(vertx, server.withDatabase(core.env.get("CORE_DB")), localInbox);
        }
        rows.add(row("anchor: inbox receivers applying nothing, in core's JVM", timeEngage(core, local)));
        for (MessageConsumer<JsonObject> sink : sinks) {
          sink.unregister().await();
        }
        localPool.close().await();

        String members = "127.0.0.1:" + core.hzPort + ",127.0.0.1:" + totHz + ",127.0.0.1:" + shopHz;
        Process tot = BenchCluster.startNode(childEnv(core, totHz, BenchCluster.freePort(), members, "TOT_DB",
            totDb.database()), "tot");
        Process shop = BenchCluster.startNode(childEnv(core, shopHz, shopHttp, members, "STOREFRONT_DB",
            shopDb.database()), "storefront");
        try {
          Waits.untilAnswered(vertx, Addresses.ping(AppName.TOT), tot);
          Waits.untilAnswered(vertx, Addresses.ping(AppName.STOREFRONT), shop);
          // the shop straight in the Storefront's database (migrated by its node before it answers pings): the
          // benchmark's operator token is core's, which the Storefront's API refuses
          Pool shopPool = PgPools.create(vertx, shopDb, 1);
          shopPool.query("INSERT INTO storefronts (slug, name, owner_id, theme)"
              + " VALUES ('bench', 'Bench shop', 'bench-operator', '{}')").execute().await();
          shopPool.close().await();
          if (!remoteWarmup.isEmpty()) {
            timeEngage(core, remoteWarmup);
            vacuum(vertx, server.withDatabase(core.env.get("CORE_DB")), totDb, shopDb);
          }
          rows.add(row("ToT and Storefront nodes applying them, 3 JVMs", timeEngage(core, remote)));
        } finally {
          tot.destroy();
          shop.destroy();
          tot.waitFor();
          shop.waitFor();
        }
      } finally {
        Databases.drop(localInbox);
        Databases.drop(totDb);
        Databases.drop(shopDb);
      }
    }
    System.out.println();
    System.out.println("### publish fan-out: commit " + cards + " cards to a shop and to ToT (" + 2 * cards
        + " publishes), until every publish is applied; each row after " + warmupCards + " cards the same way, "
        + "unmeasured, and a VACUUM ANALYZE");
    System.out.println("| receiver | seconds | publishes/s | of which the two commits |");
    System.out.println("|---|---|---|---|");
    rows.forEach(System.out::println);
    return 0;
  }

  /**
   * After a warm-up: the databases as autovacuum leaves them a minute after a burst. The warm-up's updates leave
   * tens of thousands of dead rows (every outbox row is updated when leased and when delivered, every card when
   * published) that autovacuum clears only after its next nap (a minute by default), while the measured burst starts
   * seconds later; measured on them, a publish walked the previous burst's dead rows (3-JVM commits 5-8 s instead of
   * 3). The measured burst's own dead rows are not vacuumed: they are part of its cost.
   */
  private static void vacuum(Vertx vertx, PgSettings... databases) {
    for (PgSettings db : databases) {
      Pool pool = PgPools.create(vertx, db, 1);
      try {
        pool.query("VACUUM ANALYZE").execute().await();
      } finally {
        pool.close().await();
      }
    }
  }

  /** When the last commit request returned, in the run being timed. */
  private double committed;

  private String row(String name, double seconds) {
    return String.format("| %s | %.2f | %,.0f | %.2f |", name, seconds, 2 * cards / seconds, committed);
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

  /** From the commit request until the receivers acknowledged (= committed) every publish of both channels. */
  private double timeEngage(BenchCore core, List<Long> ids) throws Exception {
    long before = delivered(core);
    long relayedBefore = core.relayed();
    long started = System.nanoTime();
    // two commits back to back: the commit API takes at most 5,000 items
    core.engage(ids, List.of("storefront"));
    core.engage(ids, List.of("thisorthat"));
    committed = (System.nanoTime() - started) / 1e9;
    // Watched on core's own relay counter, which costs nothing: counting the outbox table every 20 ms read the whole
    // table (tens of thousands of rows) twice a poll, ~2.4 s of PostgreSQL time a run on a 2-core machine, taken
    // from the work being timed. Each card has a private publish and its public twin per channel (4 rows a card),
    // recorded together in id order; the table is counted exactly once they are all through.
    while (core.relayed() < relayedBefore + 4L * ids.size()) {
      Thread.sleep(20);
    }
    while (delivered(core) < before + 2L * ids.size()) {
      Thread.sleep(20);
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private static long delivered(BenchCore core) throws Exception {
    long n = 0;
    for (String address : ADDRESSES) {
      n += core.delivered(address);
    }
    return n;
  }
}
