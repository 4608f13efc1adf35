package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.launcher.commands.ServerCommand;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bus", mixinStandardHelpOptions = true,
    description = "Event-bus request/reply: clustered across two JVMs vs local in one JVM (the anchor).")
public final class BusBenchmark implements Callable<Integer> {

  @Option(names = "--requests", defaultValue = "100000", description = "requests per measured run (default ${DEFAULT-VALUE})")
  int requests;

  @Option(names = "--in-flight", defaultValue = "64", description = "requests in flight (default ${DEFAULT-VALUE})")
  int inFlight;

  @Override
  public Integer call() throws Exception {
    Vertx local = Vertx.vertx();
    local.eventBus().<JsonObject>consumer(Responder.ECHO, m -> m.reply(m.body())).completion().await();
    new LatencyRun(local, Responder.ECHO, inFlight).run(requests / 2).await();
    LatencyRun.Result localResult = new LatencyRun(local, Responder.ECHO, inFlight).run(requests).await();
    local.close().await();

    int parentPort = BenchCluster.freePort();
    int childPort = BenchCluster.freePort();
    String members = "127.0.0.1:" + parentPort + ",127.0.0.1:" + childPort;
    String cluster = "slabtrack-bench-" + UUID.randomUUID().toString().substring(0, 8);
    Process child = BenchCluster.startResponder(BenchCluster.env(cluster, childPort, members));
    try {
      ClusterNode node = ServerCommand.await(BenchCluster.join(BenchCluster.env(cluster, parentPort, members), "bench"));
      Waits.untilAnswered(node.vertx(), Responder.ECHO, child);
      new LatencyRun(node.vertx(), Responder.ECHO, inFlight).run(requests / 2).await();
      LatencyRun.Result clustered = new LatencyRun(node.vertx(), Responder.ECHO, inFlight).run(requests).await();
      node.vertx().close().await();
      Table.print("event-bus request/reply, " + inFlight + " in flight, " + requests + " requests",
          Map.of("local, 1 JVM (anchor)", localResult, "clustered, 2 JVMs", clustered));
    } finally {
      child.destroyForcibly();
    }
    return 0;
  }
}
