package io.slabtrack.launcher.runtime;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGTERM / Ctrl-C: stop the node in order and wait for it (bounded), so in-flight work drains. */
public final class ShutdownHook {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownHook.class);
  private static final long MAX_WAIT_SECONDS = 30;

  private ShutdownHook() {
  }

  public static void install(String name, Supplier<io.vertx.core.Future<Void>> stop) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping {}…", name);
      try {
        stop.get().toCompletionStage().toCompletableFuture().get(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
        LOG.info("{} stopped", name);
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly: {}", name, e.toString());
      }
    }, "slabtrack-shutdown"));
  }
}
