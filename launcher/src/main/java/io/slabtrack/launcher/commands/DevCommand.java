package io.slabtrack.launcher.commands;

import io.slabtrack.cluster.app.RunningNode;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.devtools.DevPostgres;
import io.slabtrack.launcher.runtime.Apps;
import io.slabtrack.storefront.demo.DemoShop;
import io.slabtrack.launcher.runtime.NodeStarter;
import io.slabtrack.launcher.runtime.ShutdownHook;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dev", mixinStandardHelpOptions = true,
    description = {"Runs all three apps in one JVM on a single-member cluster: core on CORE_PORT (8080), "
        + "ToT on TOT_PORT (8081), Storefront on STOREFRONT_PORT (8082).",
        "Uses the PostgreSQL at PG_HOST:PG_PORT; when none is configured or reachable, starts an embedded one "
        + "(not as root)."})
public final class DevCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DevCommand.class);

  @Option(names = "--no-demo", description = "Do not seed demo data.")
  boolean noDemo;

  @Option(names = "--embedded-postgres", description = "Always use the embedded PostgreSQL (data under "
      + "SLABTRACK_HOME, default ~/.slabtrack).")
  boolean embeddedPostgres;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Settings settings = Settings.fromEnvironment();
    NodeConfig config = NodeConfig.load(settings, RunMode.DEV, Optional.empty());
    if (config.usingDevJwtSecret()) {
      LOG.warn("*** JWT_SECRET is not set: using the fixed, PUBLIC dev secret. Never expose this instance. ***");
    }
    if (config.exposesDevSecret()) {
      LOG.warn("*** HTTP_HOST={} with the PUBLIC dev secret: anyone who reaches this address can mint an operator "
          + "token. Set JWT_SECRET, or leave HTTP_HOST unset to listen on {} only. ***", config.httpHost(),
          NodeConfig.DEV_SECRET_HTTP_HOST);
    }
    DevPostgres postgres = DevPostgres.resolve(config, settings, embeddedPostgres);
    RunningNode node;
    try {
      node = ServerCommand.await(NodeStarter.start(postgres.config(), settings, Apps.all(), !noDemo));
    } catch (Exception e) {
      postgres.close();
      throw e;
    }
    ShutdownHook.install("dev", () -> node.stop().eventually(() -> {
      postgres.close();
      return Future.succeededFuture();
    }));
    long ms = (System.nanoTime() - started) / 1_000_000;
    LOG.info("dev mode ready in {} ms", ms);
    System.out.printf("SlabTrack dev mode is ready (%d ms):%n", ms);
    for (AppName app : AppName.values()) {
      System.out.printf("  %-10s http://localhost:%d%n", app.id(), config.httpPort(app));
    }
    if (!noDemo) {
      System.out.printf("  %-10s http://localhost:%d/s/%s%n", "demo shop", config.httpPort(AppName.STOREFRONT),
          DemoShop.SLUG);
    }
    System.out.flush();
    return ServerCommand.KEEP_RUNNING;
  }
}
