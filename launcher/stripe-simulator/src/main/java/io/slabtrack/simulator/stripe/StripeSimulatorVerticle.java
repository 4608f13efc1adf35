package io.slabtrack.simulator.stripe;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the part of Stripe's API the satellites use, so dev mode and tests run whole purchases
 * with the real stripe-java client (pointed here by its API base) and no network. In-memory, single event loop.
 *
 * <p>Options ({@link JsonObject}): {@code port} (default 12111, 0 = any), {@code host} (127.0.0.1),
 * {@code publicBaseUrl} (default {@code http://host:port}, used in checkout and onboarding URLs), {@code apiKey}
 * (exact key required; default: any {@code sk_test_…}/{@code rk_test_…}), {@code webhooks} (array of
 * {@link #endpoint endpoints}), {@code webhookMaxAttempts} (8), {@code webhookRetryBaseMs} (1000),
 * {@code sweepMs} (5000: expires overdue sessions, drops events older than 30 days), {@code maxObjects} (10,000)
 * and {@code maxEvents} (10,000): the memory bounds of {@link SimStore}.
 *
 * <p>Stripe API (Bearer key required, form-encoded bodies, {@code Idempotency-Key} honoured):
 * {@code POST /v1/accounts}, {@code GET /v1/accounts/{id}}, {@code POST /v1/account_links};
 * {@code POST /v1/checkout/sessions}, {@code GET /v1/checkout/sessions/{id}},
 * {@code POST /v1/checkout/sessions/{id}/expire}; {@code POST /v1/payment_intents},
 * {@code GET /v1/payment_intents/{id}}, {@code POST /v1/payment_intents/{id}/confirm|capture|cancel};
 * {@code POST /v1/refunds}, {@code GET /v1/refunds/{id}}, {@code GET /v1/charges/{id}},
 * {@code GET /v1/disputes/{id}}; {@code GET /v1/events} ({@code limit}, {@code starting_after}, {@code type}
 * with {@code *} wildcards, {@code types[]}, {@code created[gte|gt|lte|lt]}), {@code GET /v1/events/{id}}.
 * Test cards: {@code pm_card_visa} authorizes, {@code pm_card_chargeDeclined} and
 * {@code pm_card_chargeDeclinedInsufficientFunds} decline (402, the intent stays retryable).
 *
 * <p>Pages for a person: {@code GET /checkout/{sessionId}} (Pay, Decline, Cancel buttons) and
 * {@code GET /connect/onboard/{linkId}} (completes Express onboarding, redirects to {@code return_url}).
 *
 * <p>Control endpoints for tests (JSON in and out, no key): see {@link SimControlRoutes}.
 */
public final class StripeSimulatorVerticle extends VerticleBase {
  public static final int DEFAULT_PORT = 12111;
  private static final Logger LOG = LoggerFactory.getLogger(StripeSimulatorVerticle.class);

  private final JsonObject options;
  private final SimClock clock = new SimClock();
  private final Idempotency idempotency = new Idempotency();
  private SimLatency latency;
  private WebhookDispatcher dispatcher;
  private SimStore store;
  private SimPayments payments;
  private SimCheckout checkout;
  private HttpServer server;
  private volatile String publicBase;

  public StripeSimulatorVerticle(JsonObject options) {
    this.options = options == null ? new JsonObject() : options.copy();
  }

  /** A webhook endpoint for the {@code webhooks} option; {@code connect} = receives connected-account events. */
  public static JsonObject endpoint(String url, String secret, boolean connect) {
    return new JsonObject().put("url", url).put("secret", secret).put("connect", connect);
  }

  /** The port actually bound (useful with port 0); valid once deployed. */
  public int port() {
    return server.actualPort();
  }

  /** The API base to give stripe-java, e.g. {@code http://127.0.0.1:12111}. */
  public String baseUrl() {
    return "http://" + options.getString("host", "127.0.0.1") + ":" + port();
  }

  @Override
  public Future<?> start() {
    dispatcher = new WebhookDispatcher(vertx, options.getInteger("webhookMaxAttempts", 8),
        options.getLong("webhookRetryBaseMs", 1000L));
    options.getJsonArray("webhooks", new JsonArray())
        .forEach(w -> dispatcher.register(WebhookDispatcher.Endpoint.fromJson((JsonObject) w)));
    store = new SimStore(clock, dispatcher::publish, options.getInteger("maxObjects", SimStore.DEFAULT_MAX_OBJECTS),
        options.getInteger("maxEvents", SimStore.DEFAULT_MAX_EVENTS));
    payments = new SimPayments(store);
    checkout = new SimCheckout(store, payments, () -> publicBase);

    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(1 << 20));
    router.route("/v1/*").handler(this::authenticate);
    latency = new SimLatency(vertx);
    router.route("/v1/*").handler(latency::handle);
    apiRoutes(router);
    new SimPages(store, checkout).mount(router);
    new SimControlRoutes(store, payments, checkout, dispatcher, clock, latency).mount(router);

    return vertx.createHttpServer().requestHandler(router)
        .listen(options.getInteger("port", DEFAULT_PORT), options.getString("host", "127.0.0.1"))
        .onSuccess(s -> {
          server = s;
          publicBase = options.getString("publicBaseUrl", baseUrl());
          long sweepMs = options.getLong("sweepMs", 5000L);
          vertx.setPeriodic(sweepMs, sweepMs, id -> sweep());
        })
        .onFailure(t -> dispatcher.close());
  }

  @Override
  public Future<?> stop() {
    dispatcher.close();
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void apiRoutes(Router r) {
    post(r, "/v1/accounts", (ctx, p) -> checkout.createAccount(p));
    get(r, "/v1/accounts/:id", (ctx, p) -> store.get(ctx.pathParam("id"), "account"));
    post(r, "/v1/account_links", (ctx, p) -> checkout.createAccountLink(p));

    post(r, "/v1/checkout/sessions", (ctx, p) -> checkout.publicView(checkout.createSession(p)));
    get(r, "/v1/checkout/sessions/:id", (ctx, p) -> store.expanded(
        checkout.publicView(store.get(ctx.pathParam("id"), "checkout.session")), SimParams.expand(p)));
    post(r, "/v1/checkout/sessions/:id/expire", (ctx, p) -> checkout.publicView(
        checkout.expire(store.get(ctx.pathParam("id"), "checkout.session"))));

    post(r, "/v1/payment_intents", (ctx, p) -> payments.createIntent(p));
    get(r, "/v1/payment_intents/:id", (ctx, p) -> store.expanded(store.get(ctx.pathParam("id"), "payment_intent"),
        SimParams.expand(p)));
    post(r, "/v1/payment_intents/:id/confirm", (ctx, p) -> payments.confirm(
        store.get(ctx.pathParam("id"), "payment_intent"), SimParams.string(p, "payment_method", false)));
    post(r, "/v1/payment_intents/:id/capture", (ctx, p) -> payments.capture(
        store.get(ctx.pathParam("id"), "payment_intent"), p));
    post(r, "/v1/payment_intents/:id/cancel", (ctx, p) -> payments.cancel(
        store.get(ctx.pathParam("id"), "payment_intent"), cancellationReason(p)));

    post(r, "/v1/refunds", (ctx, p) -> payments.refund(p));
    get(r, "/v1/refunds/:id", (ctx, p) -> store.get(ctx.pathParam("id"), "refund"));
    get(r, "/v1/charges/:id", (ctx, p) -> store.get(ctx.pathParam("id"), "charge"));
    get(r, "/v1/disputes/:id", (ctx, p) -> store.get(ctx.pathParam("id"), "dispute"));

    get(r, "/v1/events", this::listEvents);
    get(r, "/v1/events/:id", (ctx, p) -> store.event(ctx.pathParam("id")));
    r.route("/v1/*").handler(ctx -> send(ctx, 404, SimError.invalid("unrecognized_url", "Unrecognized request URL ("
        + ctx.request().method() + ": " + ctx.request().path() + ").", null).toJson().encode()));
  }

  private static String cancellationReason(JsonObject p) {
    String reason = SimParams.string(p, "cancellation_reason", false);
    if (reason != null && !reason.matches("duplicate|fraudulent|requested_by_customer|abandoned")) {
      throw SimError.invalid("parameter_invalid_string", "Invalid cancellation_reason: " + reason,
          "cancellation_reason");
    }
    return reason;
  }

  private JsonObject listEvents(RoutingContext ctx, JsonObject p) {
    Long limit = SimParams.amount(p, "limit", false);
    if (limit != null && (limit < 1 || limit > 100)) {
      throw SimError.invalid("parameter_invalid_integer", "limit must be between 1 and 100", "limit");
    }
    String account = ctx.request().getHeader("Stripe-Account");
    String type = SimParams.string(p, "type", false);
    JsonArray types = p.getValue("types") instanceof JsonArray a ? a : null;
    Object created = p.getValue("created");
    Predicate<JsonObject> filter = e -> java.util.Objects.equals(account, e.getString("account"))
        && (type == null || typeMatches(type, e.getString("type")))
        && (types == null || types.contains(e.getString("type")))
        && createdMatches(created, e.getLong("created"));
    return store.listEvents(filter, SimParams.string(p, "starting_after", false), limit == null ? 10 : limit.intValue());
  }

  private static boolean typeMatches(String pattern, String type) {
    return pattern.endsWith("*") ? type.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(type);
  }

  private static boolean createdMatches(Object created, long at) {
    if (created == null) {
      return true;
    }
    if (created instanceof String exact) {
      return at == Long.parseLong(exact);
    }
    JsonObject range = (JsonObject) created;
    return (range.getString("gte") == null || at >= Long.parseLong(range.getString("gte")))
        && (range.getString("gt") == null || at > Long.parseLong(range.getString("gt")))
        && (range.getString("lte") == null || at <= Long.parseLong(range.getString("lte")))
        && (range.getString("lt") == null || at < Long.parseLong(range.getString("lt")));
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String key = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
    String required = options.getString("apiKey");
    boolean ok = key != null && (required != null ? required.equals(key)
        : key.startsWith("sk_test_") || key.startsWith("rk_test_"));
    if (!ok) {
      send(ctx, 401, SimError.authentication(key == null
          ? "You did not provide an API key. Provide it in the Authorization header as 'Bearer <key>'."
          : "Invalid API Key provided (the simulator takes test keys only).").toJson().encode());
      return;
    }
    ctx.put("apiKey", key);
    ctx.next();
  }

  private void get(Router r, String path, BiFunction<RoutingContext, JsonObject, JsonObject> op) {
    r.get(path).handler(ctx -> {
      try {
        send(ctx, 200, op.apply(ctx, FormBody.parse(ctx.request().query())).encode());
      } catch (SimError e) {
        send(ctx, e.status(), e.toJson().encode());
      }
    });
  }

  private void post(Router r, String path, BiFunction<RoutingContext, JsonObject, JsonObject> op) {
    r.post(path).handler(ctx -> {
      String body = ctx.body().asString();
      String key = ctx.request().getHeader("Idempotency-Key");
      String apiKey = ctx.get("apiKey");
      String fingerprint = ctx.request().path() + "\n" + canonical(body);
      int status;
      String answer;
      try {
        if (key != null) {
          Idempotency.Stored stored = idempotency.replay(apiKey, key, fingerprint);
          if (stored != null) {
            ctx.response().putHeader("Idempotent-Replayed", "true");
            send(ctx, stored.status(), stored.body());
            return;
          }
        }
        answer = op.apply(ctx, FormBody.parse(body)).encode();
        status = 200;
      } catch (SimError e) {
        answer = e.toJson().encode();
        status = e.status();
      }
      if (key != null) {
        idempotency.remember(apiKey, key, fingerprint, status, answer);
      }
      send(ctx, status, answer);
    });
  }

  /** The same parameters in any order are the same request. */
  private static String canonical(String body) {
    if (body == null || body.isEmpty()) {
      return "";
    }
    String[] pairs = body.split("&");
    Arrays.sort(pairs);
    return String.join("&", pairs);
  }

  static void send(RoutingContext ctx, int status, String json) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Request-Id", SimStore.newId("req_")).end(json);
  }

  private void sweep() {
    for (JsonObject session : store.overdueSessions()) {
      try {
        checkout.expire(session);
      } catch (SimError e) {
        LOG.warn("simulator could not expire session {}: {}", session.getString("id"), e.getMessage());
      }
    }
    store.pruneEvents();
  }
}
