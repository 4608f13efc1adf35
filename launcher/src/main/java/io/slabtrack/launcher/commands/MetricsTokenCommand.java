package io.slabtrack.launcher.commands;

import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
    Settings settings = Settings.fromEnvironment();
    if (settings.optional("JWT_SECRET").isEmpty()) {
      System.err.println("JWT_SECRET is not set: this token is signed with the public dev secret and only dev mode"
          + " accepts it");
    }
    NodeConfig config = NodeConfig.load(settings, RunMode.DEV, Optional.empty());
    List<AppName> audience = apps == null ? Arrays.asList(AppName.values()) : apps.stream().map(AppName::parse).toList();
    Vertx vertx = Vertx.vertx();
    try {
      TokenService tokens = new TokenService(vertx, JwtKeys.from(config));
      System.out.println(tokens.mintMetrics(name, audience, Duration.ofDays(days)));
    } finally {
      vertx.close();
    }
    return 0;
  }
}
