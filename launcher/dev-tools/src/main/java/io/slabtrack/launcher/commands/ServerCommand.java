package io.slabtrack.launcher.commands;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;

/** Shared by the long-running commands: wait for a start future on the main thread, unwrap its failure. */
public final class ServerCommand {
  /** Returned by dev/node: the JVM keeps running on Vert.x threads until SIGTERM. */
  public static final int KEEP_RUNNING = -1;

  private ServerCommand() {
  }

  public static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
