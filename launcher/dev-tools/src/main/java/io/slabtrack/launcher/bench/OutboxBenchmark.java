package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.cluster.db.Migrations;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.slabtrack.cluster.outbox.OutboxRelayVerticle;
import io.slabtrack.cluster.outbox.RelayOptions;
import io.slabtrack.cluster.outbox.ReplyHandlers;
import io.slabtrack.launcher.commands.ServerCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "outbox", mixinStandardHelpOptions = true,
    description = "Outbox delivery throughput: relay → inbox in another JVM, vs the same JVM (the anchor).")
public final class OutboxBenchmark implements Callable<Integer> {
  private static final String NO_APP_MIGRATIONS = "classpath:db/none";

  @Option(names = "--messages", defaultValue = "20000", description = "messages per run (default ${DEFAULT-VALUE})")
  int messages;

  @Option(names = "--aggregates", defaultValue = "1000", description = "distinct ordering keys (default ${DEFAULT-VALUE})")
  int aggregates;

  @Option(names = "--relays", defaultValue = "1", description = "relay verticles on the sender (as on N nodes; default ${DEFAULT-VALUE})")
  int relays;

  @Override
  public Integer call() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    // the cluster name is the cluster's shared secret: node config refuses one shorter than 16 characters
    PgSettings server = BenchCluster.config(BenchCluster.env("slabtrack-bench-" + suffix, 1, "127.0.0.1:1"))
        .pgServer();
    PgSettings outboxDb = server.withDatabase("slabtrack_bench_outbox_" + suffix);
    PgSettings inboxDb = server.withDatabase("slabtrack_bench_inbox_" + suffix);
    for (PgSettings db : List.of(outboxDb, inboxDb)) {
      Databases.ensureExists(db);
      Migrations.migrate(db, NO_APP_MIGRATIONS);
    }
    List<String> rows = new ArrayList<>();
    try {
      rows.add(row("anchor: PostgreSQL alone, the inbox rows in one UNNEST insert", unnestFloor(inboxDb)));
      Vertx local = Vertx.vertx();
      Pool localInbox = PgPools.create(local, inboxDb, 8);
      Inbox.consume(local, localInbox, Responder.SINK, (tx, body) -> Future.succeededFuture(new JsonObject()))
          .await();
      rows.add(row("same JVM (anchor)", run(local, outboxDb)));
      local.close().await();
      truncate(inboxDb);

      int parentPort = BenchCluster.freePort();
      int childPort = BenchCluster.freePort();
      String members = "127.0.0.1:" + parentPort + ",127.0.0.1:" + childPort;
      String cluster = "slabtrack-bench-" + suffix;
      Process child = BenchCluster.startResponder(BenchCluster.env(cluster, childPort, members),
          "--inbox-db", inboxDb.database());
      try {
        ClusterNode node = ServerCommand.await(BenchCluster.join(BenchCluster.env(cluster, parentPort, members),
            "bench"));
        Waits.untilAnswered(node.vertx(), Responder.ECHO, child);
        rows.add(row("to another JVM (clustered bus)", run(node.vertx(), outboxDb)));
        node.vertx().close().await();
      } finally {
        child.destroyForcibly();
      }
    } finally {
      Databases.drop(outboxDb);
      Databases.drop(inboxDb);
    }
    System.out.println();
    System.out.println("### outbox delivery, " + messages + " messages over " + aggregates + " aggregates");
    System.out.println("| path | seconds | messages/s |");
    System.out.println("|---|---|---|");
    rows.forEach(System.out::println);
    return 0;
  }

  private String row(String name, double seconds) {
    return String.format("| %s | %.2f | %,.0f |", name, seconds, messages / seconds);
  }

  /** Enqueues every message first, then times the relay from deployment until the last row is delivered. */
  private double run(Vertx vertx, PgSettings outboxDb) throws Exception {
    Pool pool = PgPools.create(vertx, outboxDb, 8);
    pool.query("TRUNCATE outbox").execute().await();
    for (int start = 0; start < messages; start += 1000) {
      int from = start;
      int to = Math.min(messages, start + 1000);
      pool.withTransaction(tx -> {
        Future<Void> chain = Future.succeededFuture();
        for (int i = from; i < to; i++) {
          OutboxMessage m = OutboxMessage.of(Responder.SINK, "agg-" + (i % aggregates),
              new JsonObject().put("n", i));
          chain = chain.compose(x -> Outbox.enqueue(tx, m));
        }
        return chain;
      }).await();
    }
    long started = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int r = 0; r < relays; r++) {
      ids.add(vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(outboxDb),
          ReplyHandlers.none(), RelayOptions.defaults().withPollMillis(200))).await());
    }
    while (true) {
      long delivered = pool.query("SELECT count(*) AS n FROM outbox WHERE status = 'delivered'").execute().await()
          .iterator().next().getLong("n");
      if (delivered >= messages) {
        break;
      }
      Thread.sleep(20);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    for (String id : ids) {
      vertx.undeploy(id).await();
    }
    pool.close().await();
    return seconds;
  }

  /**
   * The machine's floor at this moment (the load of whatever else runs here moves it): as many inbox rows as the run
   * delivers, written by one multi-row statement, no bus, no relay.
   */
  private double unnestFloor(PgSettings db) throws Exception {
    Vertx v = Vertx.vertx();
    Pool p = PgPools.create(v, db, 1);
    java.util.UUID[] ids = new java.util.UUID[messages];
    for (int i = 0; i < messages; i++) {
      ids[i] = UUID.randomUUID();
    }
    long started = System.nanoTime();
    p.preparedQuery("INSERT INTO inbox (event_id, address) SELECT unnest($1::uuid[]), 'bench.floor'")
        .execute(io.vertx.sqlclient.Tuple.of(ids)).await();
    double seconds = (System.nanoTime() - started) / 1e9;
    p.query("TRUNCATE inbox").execute().await();
    v.close().await();
    return seconds;
  }

  private static void truncate(PgSettings db) throws Exception {
    Vertx v = Vertx.vertx();
    Pool p = PgPools.create(v, db, 1);
    p.query("TRUNCATE inbox").execute().await();
    v.close().await();
  }
}
