package io.slabtrack.launcher.commands;

import io.slabtrack.cluster.config.AppName;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints a scrape token for {@code GET /metrics} (Prometheus's bearer credential), signed with {@code JWT_SECRET}
 * like every token of the cluster. It opens nothing but {@code /metrics}; changing {@code JWT_SECRET} revokes it.
 */
@Command(name = "metrics-token", mixinStandardHelpOptions = true,
    description = "Prints a bearer token that may read GET /metrics (and nothing else), signed with JWT_SECRET.")
public final class MetricsTokenCommand implements Callable<Integer> {

  @Option(names = "--app", split = ",", description = "core, tot, storefront (default: all three)")
  List<String> apps;

  @Option(names = "--days", defaultValue = "365", description = "lifetime in days (default: ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--name", defaultValue = "prometheus", description = "who scrapes, for the token's subject")
  String name;

  @Override
  public Integer call() {
    if (days < 1 || days > 3650) {
      System.err.println("--days must be between 1 and 3650");
      return 2;
    }
    List<AppName> audience = apps == null ? Arrays.asList(AppName.values()) : apps.stream().map(AppName::parse).toList();
    return TokenPrinter.print(tokens -> tokens.mintMetrics(name, audience, Duration.ofDays(days)));
  }
}
