package io.slabtrack.launcher.bench;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/** Polls until a child node JVM is there: answering on the bus, or ready over HTTP. */
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

  /**
   * Polls the node's {@code GET /ready} until it answers 200: a node answers its bus ping as soon as its consumers are
   * registered, before its HTTP server listens, and a benchmark calling its HTTP port at once was refused.
   */
  static void untilReady(int httpPort, Process child) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI ready = java.net.URI.create("http://127.0.0.1:" + httpPort + "/ready");
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new IllegalStateException("benchmark node exited with " + child.exitValue());
      }
      try {
        if (http.send(java.net.http.HttpRequest.newBuilder(ready).timeout(java.time.Duration.ofSeconds(2)).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("benchmark node was not ready within 90 s");
  }
}
