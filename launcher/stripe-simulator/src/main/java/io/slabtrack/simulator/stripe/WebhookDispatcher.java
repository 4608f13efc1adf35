package io.slabtrack.simulator.stripe;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each event as a signed POST to every registered endpoint that wants it, retrying non-2xx answers with
 * doubling delays like Stripe does (much faster here). Connect endpoints get only connected-account events
 * ({@code account} set), platform endpoints only the platform's own, as on Stripe.
 *
 * <p>{@link #deliveries()} lists the newest {@value #MAX_LOGGED_DELIVERIES} attempts.
 *
 * <p>Test hooks: {@link #hold()} queues events instead of sending them, {@link #release(boolean)} sends the
 * queue forwards or reversed (out of order), {@link #redeliver} sends one event again (duplicates).
 */
final class WebhookDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

  /** @param events event types wanted; empty or containing "*" = all */
  record Endpoint(String url, String secret, boolean connect, List<String> events) {
    boolean wants(JsonObject event) {
      boolean connectEvent = event.getString("account") != null;
      return connect == connectEvent && (events.isEmpty() || events.contains("*")
          || events.contains(event.getString("type")));
    }

    static Endpoint fromJson(JsonObject j) {
      String url = j.getString("url");
      String secret = j.getString("secret");
      if (url == null || secret == null) {
        throw SimError.invalid("parameter_missing", "A webhook endpoint needs url and secret.", "url");
      }
      List<String> events = new ArrayList<>();
      j.getJsonArray("events", new JsonArray()).forEach(e -> events.add(String.valueOf(e)));
      return new Endpoint(url, secret, j.getBoolean("connect", false), List.copyOf(events));
    }
  }

  private final Vertx vertx;
  private final WebClient client;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private final Deque<JsonObject> held = new ArrayDeque<>();
  /** The newest delivery attempts only: a dev instance left running must not keep every one. */
  static final int MAX_LOGGED_DELIVERIES = 2_000;
  private final Deque<JsonObject> log = new ArrayDeque<>();
  private final int maxAttempts;
  private final long retryBaseMillis;
  private boolean holding;

  WebhookDispatcher(Vertx vertx, int maxAttempts, long retryBaseMillis) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.maxAttempts = maxAttempts;
    this.retryBaseMillis = retryBaseMillis;
  }

  void register(Endpoint endpoint) {
    endpoints.removeIf(e -> e.url().equals(endpoint.url()));
    endpoints.add(endpoint);
  }

  void publish(JsonObject event) {
    if (holding) {
      held.add(event);
      return;
    }
    for (Endpoint endpoint : endpoints) {
      if (endpoint.wants(event)) {
        attempt(endpoint, event, 1);
      }
    }
  }

  void hold() {
    holding = true;
  }

  /** Stops holding and sends what was queued, oldest first or (for out-of-order tests) newest first. */
  int release(boolean reversed) {
    holding = false;
    List<JsonObject> queued = new ArrayList<>(held);
    held.clear();
    if (reversed) {
      java.util.Collections.reverse(queued);
    }
    queued.forEach(this::publish);
    return queued.size();
  }

  void redeliver(JsonObject event, int times) {
    for (int i = 0; i < times; i++) {
      for (Endpoint endpoint : endpoints) {
        if (endpoint.wants(event)) {
          attempt(endpoint, event, 1);
        }
      }
    }
  }

  JsonArray deliveries() {
    return new JsonArray(new ArrayList<>(log));
  }

  void close() {
    client.close();
  }

  private void attempt(Endpoint endpoint, JsonObject event, int attempt) {
    // signed at send time, as Stripe does: a retry carries a fresh timestamp
    String payload = event.encode();
    long t = System.currentTimeMillis() / 1000;
    client.postAbs(endpoint.url())
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Stripe-Signature", WebhookSignatures.header(endpoint.secret(), payload, t))
        .putHeader("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks) slabtrack-simulator")
        .timeout(10_000)
        .sendBuffer(Buffer.buffer(payload))
        .onComplete(ar -> {
          int status = ar.succeeded() ? ar.result().statusCode() : 0;
          log.addLast(new JsonObject().put("eventId", event.getString("id")).put("type", event.getString("type"))
              .put("url", endpoint.url()).put("attempt", attempt).put("status", status)
              .put("error", ar.failed() ? ar.cause().toString() : null));
          if (log.size() > MAX_LOGGED_DELIVERIES) {
            log.removeFirst();
          }
          if (status >= 200 && status < 300) {
            return;
          }
          if (attempt >= maxAttempts) {
            LOG.warn("webhook gave up eventId={} type={} url={} after {} attempts (last status {})",
                event.getString("id"), event.getString("type"), endpoint.url(), attempt, status);
            return;
          }
          long delay = retryBaseMillis << Math.min(attempt - 1, 16);
          vertx.setTimer(delay, id -> attempt(endpoint, event, attempt + 1));
        });
  }
}
