package io.slabtrack.launcher.commands;

import io.slabtrack.cluster.bridge.BridgeTokens;
import java.time.Duration;
import java.util.List;
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
    // an unknown scope or a bad name is refused by BridgeTokens.mint: exit 2 with its reason
    List<String> wanted = scopes == null ? List.of() : scopes;
    return TokenPrinter.print(tokens -> BridgeTokens.mint(tokens, name, wanted, Duration.ofDays(days)));
  }
}
