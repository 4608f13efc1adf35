package io.slabtrack.launcher.commands;

import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.bridge.BridgeScopes;
import io.slabtrack.cluster.bridge.BridgeTokens;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints a token for the TCP event-bus bridge (README, "Talk to the bus from any language"), signed with
 * {@code JWT_SECRET}: any bridge token may listen to public events; {@code --scope} adds request addresses.
 * Changing {@code JWT_SECRET} revokes it.
 */
@Command(name = "bridge-token", mixinStandardHelpOptions = true,
    description = "Prints a token for the TCP event-bus bridge, signed with JWT_SECRET.")
public final class BridgeTokenCommand implements Callable<Integer> {

  @Option(names = "--name", required = true, description = "who connects (lower-case), for the token's subject")
  String name;

  @Option(names = "--scope", split = ",", description = "request scopes: cards:read, cluster:ping (default: none)")
  List<String> scopes;

  @Option(names = "--days", defaultValue = "30", description = "lifetime in days (default: ${DEFAULT-VALUE})")
  int days;

  @Override
  public Integer call() {
    if (days < 1 || days > 365) {
      System.err.println("--days must be between 1 and 365");
      return 2;
    }
    List<String> wanted = scopes == null ? List.of() : scopes;
    for (String scope : wanted) {
      if (!BridgeScopes.REQUESTS.containsKey(scope)) {
        System.err.println("unknown scope " + scope + "; known: " + BridgeScopes.ALL);
        return 2;
      }
    }
    Settings settings = Settings.fromEnvironment();
    if (settings.optional("JWT_SECRET").isEmpty()) {
      System.err.println("JWT_SECRET is not set: this token is signed with the public dev secret and only dev mode"
          + " accepts it");
    }
    NodeConfig config = NodeConfig.load(settings, RunMode.DEV, Optional.empty());
    Vertx vertx = Vertx.vertx();
    try {
      TokenService tokens = new TokenService(vertx, JwtKeys.from(config));
      System.out.println(BridgeTokens.mint(tokens, name, wanted, Duration.ofDays(days)));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } finally {
      vertx.close();
    }
    return 0;
  }
}
