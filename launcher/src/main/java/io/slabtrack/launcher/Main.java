package io.slabtrack.launcher;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.launcher.commands.BenchCommand;
import io.slabtrack.launcher.commands.BridgeTokenCommand;
import io.slabtrack.launcher.commands.DevCommand;
import io.slabtrack.launcher.commands.MetricsTokenCommand;
import io.slabtrack.launcher.commands.MigrateCommand;
import io.slabtrack.launcher.commands.NemesisCommand;
import io.slabtrack.launcher.commands.NodeCommand;
import io.slabtrack.launcher.commands.ServerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code java -jar slabtrack.jar dev | node --app X | migrate | bench}: composes, holds no business logic. */
@Command(name = "slabtrack", mixinStandardHelpOptions = true, version = "SlabTrack 0.1",
    description = "SlabTrack on Vert.x: core, ThisOrThat and Storefront on one Hazelcast event bus.",
    subcommands = {DevCommand.class, NodeCommand.class, MigrateCommand.class, MetricsTokenCommand.class, BridgeTokenCommand.class,
        BenchCommand.class, NemesisCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    try {
      Logging.install(args);
    } catch (ConfigException e) { // logback is not up yet: the one line goes straight to stderr
      System.err.println("error: " + e.getMessage());
      System.exit(ExitOnError.CONFIG_ERROR);
    }
    int code = new CommandLine(new Main()).setExecutionExceptionHandler(new ExitOnError()).execute(args);
    if (code != ServerCommand.KEEP_RUNNING) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
