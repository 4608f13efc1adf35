package io.slabtrack.cluster.shipping;

import io.slabtrack.simulator.shippo.ShippoSimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;

/** A Shippo simulator on a free port for the app modules' tests (through the test-jar), with its control routes. */
public final class ShippoSimFixture implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final ShippoSimulatorVerticle simulator = new ShippoSimulatorVerticle(new JsonObject().put("port", 0));
  public final WebClient http;

  public ShippoSimFixture() {
    vertx.deployVerticle(simulator).await();
    http = WebClient.create(vertx);
  }

  /** Settings pointing an app at this simulator (SHIPPO_*), with a global ship-from. */
  public Map<String, String> env() {
    return Map.of("SHIPPO_API_BASE", simulator.baseUrl(), "SHIPPO_SIMULATOR", "true",
        "SHIP_FROM_NAME", "SlabTrack HQ", "SHIP_FROM_LINE1", "1 Main St", "SHIP_FROM_CITY", "San Francisco",
        "SHIP_FROM_STATE", "CA", "SHIP_FROM_POSTAL_CODE", "94105");
  }

  /** Every label bought so far whose metadata is {@code metadata}. */
  public List<JsonObject> transactions(String metadata) {
    JsonArray all = http.getAbs(simulator.baseUrl() + "/_sim/transactions").send().await().bodyAsJsonObject()
        .getJsonArray("results");
    return all.stream().map(JsonObject.class::cast).filter(t -> metadata.equals(t.getString("metadata"))).toList();
  }

  /** Scans a parcel and delivers {@code track_updated} to the registered webhooks; the answer names their statuses. */
  public JsonObject scan(String trackingNumber, JsonObject body) {
    return http.postAbs(simulator.baseUrl() + "/_sim/tracks/" + trackingNumber).sendJsonObject(body).await()
        .bodyAsJsonObject();
  }

  public JsonObject resend(String trackingNumber) {
    return http.postAbs(simulator.baseUrl() + "/_sim/tracks/" + trackingNumber + "/resend").send().await()
        .bodyAsJsonObject();
  }

  public void webhook(String url) {
    simulator.addWebhook(url);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
