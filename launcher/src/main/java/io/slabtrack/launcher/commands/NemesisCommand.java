package io.slabtrack.launcher.commands;

import io.slabtrack.nemesis.Nemesis;
import io.slabtrack.nemesis.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "nemesis", mixinStandardHelpOptions = true,
    description = {"Fault injection: starts two nodes of each app from this jar, races buyers for hot cards through",
        "the real APIs while a scenario crashes, pauses, partitions, slows or starves nodes, then checks the history,",
        "the three databases and the Stripe simulator's ledger. Prints one markdown table; exit 1 on a double",
        "sale, a lost payment or an unresolved order. Needs PostgreSQL (PG_*); partition needs root."})
public final class NemesisCommand implements Callable<Integer> {

  @Option(names = "--scenario", defaultValue = "crash",
      description = "none, crash, pause, partition, database, slow, mixed, a comma list, or all (default: ${DEFAULT-VALUE})")
  String scenario;

  @Option(names = "--minutes", defaultValue = "3", description = "length of each run (default: ${DEFAULT-VALUE})")
  double minutes;

  @Option(names = "--pause-seconds", defaultValue = "70",
      description = "how long the pause scenario stops the member (default: ${DEFAULT-VALUE})")
  int pauseSeconds;

  @Option(names = "--network", defaultValue = "auto",
      description = "loopback, namespaces, or auto (namespaces only where a scenario needs them)")
  String network;

  @Option(names = "--jar", description = "the fat jar the nodes run (default: this one)")
  Path jar;

  @Option(names = "--dir", defaultValue = "target/nemesis", description = "logs and histories (default: ${DEFAULT-VALUE})")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Path nodeJar = jar != null ? jar : Path.of(NemesisCommand.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    if (!Files.isRegularFile(nodeJar)) {
      System.err.println("nemesis: no fat jar at " + nodeJar + " (pass --jar launcher/target/slabtrack.jar)");
      return 2;
    }
    Nemesis.Options options = new Nemesis.Options(nodeJar, dir, Duration.ofMillis((long) (minutes * 60_000)),
        Duration.ofSeconds(pauseSeconds), network.equals("namespaces"));
    List<Nemesis.Row> rows = new ArrayList<>();
    for (Scenario s : Nemesis.scenarios(scenario)) {
      rows.add(Nemesis.run(s, options, System.out));
      System.out.println(Nemesis.table(rows));
    }
    return rows.stream().allMatch(Nemesis.Row::safe) ? 0 : 1;
  }
}
