package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.cluster.db.Migrations;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.launcher.commands.ServerCommand;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Core publish fan-out: engage N cards on a shop in one commit, time until a receiver on another "
        + "JVM has acknowledged every publish (anchor: a receiver in core's own JVM).")
public final class PublishBenchmark implements Callable<Integer> {

  @Option(names = "--cards", defaultValue = "1000", description = "cards engaged per run (default ${DEFAULT-VALUE})")
  int cards;

  @Override
  public Integer call() throws Exception {
    int childPort = BenchCluster.freePort();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    List<String> rows = new ArrayList<>();
    try (BenchCore core = BenchCore.start("127.0.0.1:" + childPort)) {
      PgSettings server = core.node.services().config().pgServer();
      PgSettings localInbox = server.withDatabase("slabtrack_bench_inbox_local_" + suffix);
      PgSettings remoteInbox = server.withDatabase("slabtrack_bench_inbox_remote_" + suffix);
      for (PgSettings db : List.of(localInbox, remoteInbox)) {
        Databases.ensureExists(db);
        Migrations.migrate(db, "classpath:db/none");
      }
      try {
        List<Long> local = core.importCards(cards, "benchpub-local-" + suffix);
        List<Long> remote = core.importCards(cards, "benchpub-remote-" + suffix);

        var vertx = core.node.services().cluster().vertx();
        MessageConsumer<JsonObject> consumer = Inbox.consume(vertx, PgPools.create(vertx, localInbox, 8),
            Addresses.STOREFRONT_CARDS_PUBLISH, (tx, body) -> Future.succeededFuture(new JsonObject()))
            .await();
        rows.add(row("receiver in core's JVM (anchor)", timeEngage(core, local)));
        consumer.unregister().await();

        var childEnv = BenchCluster.env(core.clusterName, childPort,
            "127.0.0.1:" + core.hzPort + ",127.0.0.1:" + childPort);
        Process child = BenchCluster.startResponder(childEnv, "--inbox-db", remoteInbox.database(),
            "--inbox-address", Addresses.STOREFRONT_CARDS_PUBLISH);
        try {
          Waits.untilAnswered(vertx, Responder.ECHO, child);
          rows.add(row("receiver in another JVM (clustered bus)", timeEngage(core, remote)));
        } finally {
          child.destroyForcibly();
        }
      } finally {
        Databases.drop(localInbox);
        Databases.drop(remoteInbox);
      }
    }
    System.out.println();
    System.out.println("### publish fan-out: commit " + cards + " cards to a shop, until every publish is acknowledged");
    System.out.println("| receiver | seconds | publishes/s |");
    System.out.println("|---|---|---|");
    rows.forEach(System.out::println);
    return 0;
  }

  private String row(String name, double seconds) {
    return String.format("| %s | %.2f | %,.0f |", name, seconds, cards / seconds);
  }

  private double timeEngage(BenchCore core, List<Long> ids) throws Exception {
    long before = core.delivered(Addresses.STOREFRONT_CARDS_PUBLISH);
    long started = System.nanoTime();
    core.engage(ids, List.of("storefront"));
    while (core.delivered(Addresses.STOREFRONT_CARDS_PUBLISH) < before + ids.size()) {
      Thread.sleep(20);
    }
    return (System.nanoTime() - started) / 1e9;
  }
}
