package io.slabtrack.launcher.bench;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/** Polls until the responder JVM answers on the bus (it has joined and registered its consumers). */
final class Waits {
  private Waits() {
  }

  static void untilAnswered(Vertx vertx, String address, Process child) throws Exception {
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new IllegalStateException("benchmark responder exited with " + child.exitValue());
      }
      try {
        vertx.eventBus().request(address, new JsonObject(), new DeliveryOptions().setSendTimeout(1000)).await();
        return;
      } catch (Exception notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("benchmark responder did not answer within 90 s");
  }
}
