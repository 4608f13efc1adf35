package io.slabtrack.simulator.shippo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local stand-in for the part of Shippo's REST API SlabTrack uses, so dev mode and tests buy labels with the
 * real client and no network. In memory; self-contained (nothing shared with the Stripe simulator).
 *
 * <p>Options: {@code port} (default 12112, 0 = any), {@code host} (127.0.0.1), {@code token} (exact token
 * required; default any {@code shippo_test_…}), {@code webhooks} (array of URLs receiving {@code track_updated},
 * each carrying its own {@code ?token=}).
 *
 * <p>API ({@code Authorization: ShippoToken <token>}, JSON): {@code POST /addresses/} (with {@code validate}),
 * {@code POST /shipments/} (rates for USPS Ground Advantage, Priority, Priority Express, UPS Ground, 2nd Day Air),
 * {@code POST /transactions/} (a label for a rate; {@code Idempotency-Key} answers a repeat with the first
 * transaction), {@code GET /transactions/{id}}, {@code POST /refunds/}, {@code GET /tracks/{carrier}/{number}}.
 * Label files at {@code GET /labels/{transactionId}.pdf} (no token: Shippo's are signed URLs), one 4×6 page each.
 *
 * <p>Control (no token): {@code POST /_sim/webhooks {url}} adds a receiver; {@code POST /_sim/tracks/{number}
 * {status, substatus?, statusDate?}} scans a parcel and delivers the {@code track_updated} event to every receiver
 * (answering with their HTTP statuses); {@code POST /_sim/tracks/{number}/resend} delivers the latest event again;
 * {@code GET /_sim/transactions} lists every label bought.
 */
public final class ShippoSimulatorVerticle extends VerticleBase {
  public static final int DEFAULT_PORT = 12112;

  private final JsonObject options;
  private final List<String> webhooks = new CopyOnWriteArrayList<>();
  private final Map<String, JsonObject> idempotent = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> lastEvents = new ConcurrentHashMap<>();
  private SimShippo sim;
  private WebClient client;
  private HttpServer server;

  public ShippoSimulatorVerticle(JsonObject options) {
    this.options = options == null ? new JsonObject() : options.copy();
  }

  public int port() {
    return server.actualPort();
  }

  /** The API base to configure ({@code SHIPPO_API_BASE}), e.g. {@code http://127.0.0.1:12112}. */
  public String baseUrl() {
    return "http://" + options.getString("host", "127.0.0.1") + ":" + port();
  }

  public void addWebhook(String url) {
    webhooks.add(url);
  }

  @Override
  public Future<?> start() {
    options.getJsonArray("webhooks", new JsonArray()).forEach(u -> webhooks.add((String) u));
    sim = new SimShippo(this::baseUrl);
    client = WebClient.create(vertx);
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create(false).setBodyLimit(1 << 20));
    r.get("/labels/:file").handler(this::label);
    control(r);
    r.route().handler(this::authenticate);
    api(r, "POST", "/addresses", sim::address);
    api(r, "POST", "/shipments", sim::shipment);
    r.post("/transactions").handler(ctx -> idempotently(ctx, sim::transaction));
    r.post("/transactions/").handler(ctx -> idempotently(ctx, sim::transaction));
    r.get("/transactions/:id").handler(ctx -> found(ctx, sim.transactions.get(ctx.pathParam("id"))));
    api(r, "POST", "/refunds", sim::refund);
    r.get("/tracks/:carrier/:number").handler(ctx -> {
      JsonObject t = sim.tracks.get(ctx.pathParam("number"));
      found(ctx, t == null ? null : t.copy());
    });
    r.route().handler(ctx -> json(ctx, 404, new JsonObject().put("detail", "Not found.")));
    return vertx.createHttpServer().requestHandler(r)
        .listen(options.getInteger("port", DEFAULT_PORT), options.getString("host", "127.0.0.1"))
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    client.close();
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void control(Router r) {
    r.post("/_sim/webhooks").handler(ctx -> {
      webhooks.add(ctx.body().asJsonObject().getString("url"));
      json(ctx, 200, new JsonObject().put("webhooks", webhooks.size()));
    });
    r.get("/_sim/transactions").handler(ctx -> {
      JsonArray all = new JsonArray();
      sim.transactions.values().forEach(t -> all.add(t.copy()));
      json(ctx, 200, new JsonObject().put("results", all));
    });
    r.post("/_sim/tracks/:number/resend").handler(ctx -> {
      JsonObject event = lastEvents.get(ctx.pathParam("number"));
      if (event == null) {
        json(ctx, 404, new JsonObject().put("detail", "No event yet."));
      } else {
        deliver(ctx, event);
      }
    });
    r.post("/_sim/tracks/:number").handler(ctx -> {
      JsonObject body = ctx.body().asJsonObject();
      try {
        JsonObject event = sim.scan(ctx.pathParam("number"), body.getString("status", "TRANSIT"),
            body.getString("substatus"), body.getString("statusDate"));
        lastEvents.put(ctx.pathParam("number"), event);
        deliver(ctx, event);
      } catch (SimShippo.SimFailure e) {
        json(ctx, e.status, e.body);
      }
    });
  }

  /** Posts the event to every receiver; answers with their statuses (0 = not reached). */
  private void deliver(RoutingContext ctx, JsonObject event) {
    List<Future<Integer>> sends = new ArrayList<>();
    for (String url : webhooks) {
      sends.add(client.postAbs(url).timeout(30_000).sendJsonObject(event).map(resp -> resp.statusCode())
          .otherwise(0));
    }
    Future.join(sends).onComplete(x -> {
      JsonArray statuses = new JsonArray();
      sends.forEach(f -> statuses.add(f.result()));
      json(ctx, 200, new JsonObject().put("event", event).put("delivered", statuses));
    });
  }

  private void label(RoutingContext ctx) {
    String file = ctx.pathParam("file");
    byte[] pdf = file.endsWith(".pdf") ? sim.labels.get(file.substring(0, file.length() - 4)) : null;
    if (pdf == null) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    ctx.response().putHeader("Content-Type", "application/pdf").end(Buffer.buffer(pdf));
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.startsWith("ShippoToken ") ? header.substring(12).trim() : null;
    String required = options.getString("token");
    if (token == null || !(required != null ? required.equals(token) : token.startsWith("shippo_test_"))) {
      json(ctx, 401, new JsonObject().put("detail", "Invalid token."));
      return;
    }
    ctx.next();
  }

  private void api(Router r, String method, String path, Function<JsonObject, JsonObject> op) {
    for (String p : new String[] {path, path + "/"}) {
      r.route(io.vertx.core.http.HttpMethod.valueOf(method), p).handler(ctx -> {
        try {
          json(ctx, 201, op.apply(body(ctx)));
        } catch (SimShippo.SimFailure e) {
          json(ctx, e.status, e.body);
        }
      });
    }
  }

  /** A repeated {@code Idempotency-Key} gets the first answer (and buys nothing). */
  private void idempotently(RoutingContext ctx, Function<JsonObject, JsonObject> op) {
    String key = ctx.request().getHeader("Idempotency-Key");
    try {
      JsonObject answer = key == null ? op.apply(body(ctx))
          : idempotent.computeIfAbsent(key, k -> op.apply(body(ctx)));
      json(ctx, 201, answer);
    } catch (SimShippo.SimFailure e) {
      json(ctx, e.status, e.body);
    }
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject b = ctx.body().asJsonObject();
      return b == null ? new JsonObject() : b;
    } catch (RuntimeException e) {
      throw new SimShippo.SimFailure(400, new JsonObject().put("detail", "JSON parse error"));
    }
  }

  private static void found(RoutingContext ctx, JsonObject o) {
    json(ctx, o == null ? 404 : 200, o == null ? new JsonObject().put("detail", "Not found.") : o);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
