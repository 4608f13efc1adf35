package io.slabtrack.launcher.commands;

import io.slabtrack.cluster.app.RunningNode;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.launcher.runtime.Apps;
import io.slabtrack.launcher.runtime.NodeStarter;
import io.slabtrack.launcher.runtime.ShutdownHook;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Runs one app's verticles in a clustered JVM joining HZ_MEMBERS over Hazelcast TCP-IP.",
        "Several nodes of the same app may run side by side. Requires JWT_SECRET (at least 32 bytes),",
        "and TOT_SEED_KEY for --app tot."})
public final class NodeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

  @Option(names = "--app", required = true, description = "core, tot or storefront")
  String app;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    AppName name = AppName.parse(app);
    Settings settings = Settings.fromEnvironment();
    NodeConfig config = NodeConfig.load(settings, RunMode.NODE, Optional.of(name));
    String unreachable = Databases.unreachableReason(config.pgServer());
    if (unreachable != null) {
      throw new ConfigException("PostgreSQL at " + config.pgServer().host() + ":" + config.pgServer().port()
          + " is not reachable (check PG_HOST, PG_PORT, PG_USER, PG_PASSWORD): " + unreachable);
    }
    RunningNode node = ServerCommand.await(NodeStarter.start(config, settings, List.of(Apps.of(name)), false));
    ShutdownHook.install(name.id() + " node", node::stop);
    LOG.info("{} node ready in {} ms: http port {}", name.id(), (System.nanoTime() - started) / 1_000_000,
        config.httpPort(name));
    return ServerCommand.KEEP_RUNNING;
  }
}
