package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.launcher.commands.ServerCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "responder", hidden = true, mixinStandardHelpOptions = true,
    description = "Internal: the child JVM of a benchmark (echo consumer, optional inbox consumer).")
public final class ResponderCommand implements Callable<Integer> {

  @Option(names = "--inbox-db", description = "database for an inbox consumer")
  String inboxDb;

  @Option(names = "--inbox-address", defaultValue = Responder.SINK, description = "address of the inbox consumer")
  String inboxAddress;

  @Override
  public Integer call() throws Exception {
    var env = System.getenv();
    ClusterNode node = ServerCommand.await(BenchCluster.join(env, "bench-responder"));
    ServerCommand.await(Responder.registerEcho(node));
    if (inboxDb != null) {
      ServerCommand.await(Responder.registerInbox(node, BenchCluster.config(env).pgServer().withDatabase(inboxDb),
          inboxAddress));
    }
    System.out.println("RESPONDER READY");
    System.out.flush();
    return ServerCommand.KEEP_RUNNING;
  }
}
