package io.slabtrack.cluster.stripe;

import com.stripe.StripeClient;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.simulator.stripe.StripeSimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Stripe simulator on a free port plus a webhook receiver with a platform endpoint and a Connect endpoint,
 * each verifying signatures with {@link StripeWebhookVerifier} and its own secret, and recording what it
 * accepted. Also a real stripe-java client and a {@link StripeGateway} pointed at the simulator.
 * Shared with the app modules' tests through the test-jar.
 */
public final class StripeSimFixture implements AutoCloseable {
  public static final String PLATFORM_SECRET = "whsec_test_platform";
  public static final String CONNECT_SECRET = "whsec_test_connect";
  public static final Duration WAIT = Duration.ofSeconds(10);

  public final Vertx vertx = Vertx.vertx();
  public final StripeSimulatorVerticle simulator;
  public final StripeClient client;
  public final StripeGateway gateway;
  public final WebClient http;
  public final List<JsonObject> platformEvents = new CopyOnWriteArrayList<>();
  public final List<JsonObject> connectEvents = new CopyOnWriteArrayList<>();
  public final AtomicInteger rejectedDeliveries = new AtomicInteger();
  /** How many of the next platform deliveries answer 500 (to see the simulator retry). */
  public final AtomicInteger failNextPlatform = new AtomicInteger();
  private final HttpServer receiver;

  public StripeSimFixture(AppName app) {
    http = WebClient.create(vertx);
    receiver = startReceiver();
    String base = "http://127.0.0.1:" + receiver.actualPort();
    simulator = new StripeSimulatorVerticle(new JsonObject().put("port", 0).put("webhookRetryBaseMs", 50).put("sweepMs", 100)
        .put("webhooks", new JsonArray()
            .add(StripeSimulatorVerticle.endpoint(base + "/platform", PLATFORM_SECRET, false))
            .add(StripeSimulatorVerticle.endpoint(base + "/connect", CONNECT_SECRET, true))));
    vertx.deployVerticle(simulator).await();
    StripeSettings settings = StripeSettings.forSimulator(simulator.baseUrl());
    client = StripeClient.builder().setApiKey(settings.secretKey().orElseThrow()).setApiBase(settings.apiBase())
        .build();
    gateway = new StripeGateway(vertx, settings, app);
  }

  private HttpServer startReceiver() {
    StripeWebhookVerifier platform = new StripeWebhookVerifier("test platform", Optional.of(PLATFORM_SECRET));
    StripeWebhookVerifier connect = new StripeWebhookVerifier("test connect", Optional.of(CONNECT_SECRET));
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    router.post("/platform").handler(ctx -> {
      if (failNextPlatform.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        ctx.response().setStatusCode(500).end();
        return;
      }
      receive(platform, platformEvents, ctx.body().asString(), ctx.request().getHeader("Stripe-Signature"),
          ctx.response()::setStatusCode);
      ctx.response().end();
    });
    router.post("/connect").handler(ctx -> {
      receive(connect, connectEvents, ctx.body().asString(), ctx.request().getHeader("Stripe-Signature"),
          ctx.response()::setStatusCode);
      ctx.response().end();
    });
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  private void receive(StripeWebhookVerifier verifier, List<JsonObject> into, String body, String signature,
                       java.util.function.IntFunction<?> status) {
    try {
      into.add(verifier.verify(body, signature));
      status.apply(200);
    } catch (ApiException e) {
      rejectedDeliveries.incrementAndGet();
      status.apply(e.status());
    }
  }

  /** The receiver's platform endpoint URL (another endpoint may share it with a query string and its own secret). */
  public String platformUrl() {
    return "http://127.0.0.1:" + receiver.actualPort() + "/platform";
  }

  /** POSTs JSON to a simulator control endpoint ({@code /_sim/…}). */
  public HttpResponse<io.vertx.core.buffer.Buffer> control(String path, JsonObject body) {
    return http.postAbs(simulator.baseUrl() + path).sendJsonObject(body == null ? new JsonObject() : body).await();
  }

  /** Waits until {@code count} platform events match, and returns them in arrival order. */
  public List<JsonObject> awaitPlatform(Predicate<JsonObject> match, int count) {
    return await(platformEvents, match, count);
  }

  public List<JsonObject> awaitConnect(Predicate<JsonObject> match, int count) {
    return await(connectEvents, match, count);
  }

  public static Predicate<JsonObject> type(String type) {
    return e -> type.equals(e.getString("type"));
  }

  /** The event's {@code data.object}. */
  public static JsonObject object(JsonObject event) {
    return event.getJsonObject("data").getJsonObject("object");
  }

  private static List<JsonObject> await(List<JsonObject> events, Predicate<JsonObject> match, int count) {
    return io.slabtrack.cluster.testing.Poll.until(count + " matching events", WAIT,
        () -> events.stream().filter(match).toList(), found -> found.size() >= count);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
