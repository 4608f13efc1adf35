package io.slabtrack.launcher.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop request/reply load with a fixed number in flight, driven from one Vert.x context so the histogram
 * is touched by one thread only.
 */
final class LatencyRun {
  private final Vertx vertx;
  private final String address;
  private final int inFlight;

  LatencyRun(Vertx vertx, String address, int inFlight) {
    this.vertx = vertx;
    this.address = address;
    this.inFlight = inFlight;
  }

  record Result(long requests, long failures, double seconds, Histogram latencyMicros) {
    double throughput() {
      return requests / seconds;
    }
  }

  Future<Result> run(int requests) {
    Promise<Result> done = Promise.promise();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      Histogram histogram = new Histogram(60_000_000L, 3);
      long[] sent = {0};
      long[] finished = {0};
      long[] failed = {0};
      long started = System.nanoTime();
      JsonObject body = new JsonObject().put("payload", "x".repeat(64));
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(30_000);
      Runnable[] sendOne = new Runnable[1];
      sendOne[0] = () -> {
        sent[0]++;
        long t0 = System.nanoTime();
        vertx.eventBus().request(address, body, options).onComplete(ar -> {
          if (ar.succeeded()) {
            histogram.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
          } else {
            failed[0]++;
          }
          finished[0]++;
          if (sent[0] < requests) {
            sendOne[0].run();
          } else if (finished[0] == requests) {
            done.complete(new Result(requests, failed[0], (System.nanoTime() - started) / 1e9, histogram));
          }
        });
      };
      for (int i = 0; i < Math.min(inFlight, requests); i++) {
        sendOne[0].run();
      }
    });
    return done.future();
  }
}
