package io.slabtrack.launcher.commands;

import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the token-minting commands share: the cluster's JWT keys read from the environment (with a warning when
 * that is the public dev secret), one short-lived Vert.x for the signing, and the token on standard output.
 */
final class TokenPrinter {
  private TokenPrinter() {
  }

  /** @return the command's exit code: 0 printed, 2 when {@code mint} refused its input (the reason on stderr) */
  static int print(Function<TokenService, String> mint) {
    Settings settings = Settings.fromEnvironment();
    if (settings.optional("JWT_SECRET").isEmpty()) {
      System.err.println("JWT_SECRET is not set: this token is signed with the public dev secret and only dev mode"
          + " accepts it");
    }
    NodeConfig config = NodeConfig.load(settings, RunMode.DEV, Optional.empty());
    Vertx vertx = Vertx.vertx();
    try {
      System.out.println(mint.apply(new TokenService(vertx, JwtKeys.from(config))));
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } finally {
      vertx.close();
    }
  }
}
