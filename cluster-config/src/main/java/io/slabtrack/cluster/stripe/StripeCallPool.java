package io.slabtrack.cluster.stripe;

import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where stripe-java's blocking HTTP calls wait for Stripe: threads of their own, sized for I/O (a call spends its
 * time waiting on the network, so 300 calls/s at 300 ms need ~90 threads, far more than the shared Vert.x worker
 * pool of 20 that also runs the apps' other blocking work), in front of a small bounded queue.
 *
 * <p>Back-pressure instead of an unbounded queue: when every thread is busy and the queue is full, a call fails at
 * once with 503 {@code payments_busy} and {@code retryAfterSeconds} (the router turns it into Retry-After), before
 * anything reaches Stripe. A call that has no answer within the timeout (queue wait included) fails with 503
 * {@code payment_provider_timeout}: its outcome is unknown, and a retry with the same idempotency key is safe.
 *
 * <p>Threads are daemons and die after a minute idle, so a gateway nobody closes (tests) leaves nothing behind.
 */
final class StripeCallPool {
  static final String BUSY = "payments_busy";
  static final String TIMEOUT = "payment_provider_timeout";
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Vertx vertx;
  private final ThreadPoolExecutor executor;
  private final long timeoutMillis;

  StripeCallPool(Vertx vertx, String name, StripeSettings.CallLimits limits) {
    this.vertx = vertx;
    this.timeoutMillis = limits.timeoutMillis();
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "stripe-" + name + "-" + pool + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.executor = new ThreadPoolExecutor(limits.threads(), limits.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(limits.queue()), factory, new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
  }

  /** Calls running on the pool's threads now (each waiting on Stripe). */
  int running() {
    return executor.getActiveCount();
  }

  /** Calls waiting for a thread. */
  int queued() {
    return executor.getQueue().size();
  }

  /** True when a new call would be refused: every thread busy and the queue full. */
  boolean saturated() {
    // with core = max threads the queue only takes calls once every thread is busy
    return executor.getQueue().remainingCapacity() == 0;
  }

  /** Runs {@code op} on this pool; the Future completes on the caller's Vert.x context. */
  <T> Future<T> submit(Callable<T> op) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, id -> promise.tryFail(timedOut()));
    try {
      executor.execute(() -> {
        T result;
        try {
          result = op.call();
        } catch (Throwable t) {
          context.runOnContext(v -> {
            vertx.cancelTimer(timer);
            promise.tryFail(t);
          });
          return;
        }
        context.runOnContext(v -> {
          vertx.cancelTimer(timer);
          promise.tryComplete(result);
        });
      });
    } catch (RejectedExecutionException full) {
      vertx.cancelTimer(timer);
      return Future.failedFuture(busy());
    }
    return promise.future();
  }

  static ApiException busy() {
    return new ApiException(503, BUSY, "Payments are busy; retry shortly",
        new JsonObject().put("retryAfterSeconds", 1));
  }

  private ApiException timedOut() {
    return new ApiException(503, TIMEOUT, "The payment provider did not answer in time; retry shortly",
        new JsonObject().put("retryAfterSeconds", 2).put("timeoutMs", timeoutMillis));
  }
}
