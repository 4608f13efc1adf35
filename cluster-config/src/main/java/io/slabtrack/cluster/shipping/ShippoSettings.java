package io.slabtrack.cluster.shipping;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where label purchases go and what the rules are (README: SHIPPO_*, SHIP_FROM_*). Dev mode without
 * {@code SHIPPO_API_TOKEN} uses the local Shippo simulator; node mode without a token (and without
 * {@code SHIPPO_SIMULATOR=true}) is "shipping not configured": the shipping routes answer 503, nothing else changes.
 *
 * <p>The webhook is authenticated by Shippo's "self-generated token" scheme: the URL registered at Shippo carries
 * {@code ?token=<SHIPPO_WEBHOOK_TOKEN>} and every event without it is refused.
 */
public record ShippoSettings(
    Optional<String> token,
    String apiBase,
    boolean simulator,
    int simulatorPort,
    Optional<String> webhookToken,
    Optional<JsonObject> globalShipFrom,
    List<String> allowedServices,
    String priorityService,
    long priorityOverCents) {

  public static final String REAL_API_BASE = "https://api.goshippo.com";
  public static final int DEFAULT_SIMULATOR_PORT = 12112;
  public static final String SIMULATOR_TOKEN = "shippo_test_slabtrack_simulator";
  public static final String DEV_WEBHOOK_TOKEN = "shippo_dev_webhook";
  public static final String DEFAULT_SERVICES = "usps_ground_advantage,usps_priority,ups_ground";
  /** Where the demo ships from in dev mode when no SHIP_FROM_* is set. */
  public static final JsonObject DEV_SHIP_FROM = new JsonObject().put("name", "SlabTrack Shipping")
      .put("line1", "215 Clayton St").put("city", "San Francisco").put("state", "CA").put("postalCode", "94117")
      .put("country", "US");

  public static ShippoSettings load(Settings s, RunMode mode) {
    Optional<String> token = s.optional("SHIPPO_API_TOKEN");
    token.ifPresent(t -> {
      if (!t.startsWith("shippo_live_") && !t.startsWith("shippo_test_")) {
        throw new ConfigException("SHIPPO_API_TOKEN must be a Shippo API token (shippo_live_… or shippo_test_…)");
      }
    });
    boolean simulator = s.bool("SHIPPO_SIMULATOR", mode == RunMode.DEV && token.isEmpty());
    if (simulator && token.isPresent() && token.get().startsWith("shippo_live_")) {
      throw new ConfigException("SHIPPO_SIMULATOR=true with a live SHIPPO_API_TOKEN: refusing to mix them");
    }
    int port = s.integer("SHIPPO_SIMULATOR_PORT", DEFAULT_SIMULATOR_PORT, 0, 65535);
    String base = s.optional("SHIPPO_API_BASE").orElse(simulator ? "http://127.0.0.1:" + port : REAL_API_BASE);
    if (!base.startsWith("http://") && !base.startsWith("https://")) {
      throw new ConfigException("SHIPPO_API_BASE must be an http(s) URL, got '" + base + "'");
    }
    List<String> services = Arrays.stream(s.string("SHIPPO_ALLOWED_SERVICES", DEFAULT_SERVICES).split(","))
        .map(String::strip).filter(x -> !x.isEmpty()).toList();
    if (services.isEmpty() || services.stream().anyMatch(x -> !x.matches("[a-z0-9_]{2,60}"))) {
      throw new ConfigException("SHIPPO_ALLOWED_SERVICES must be Shippo service level tokens, e.g. " + DEFAULT_SERVICES);
    }
    Optional<String> hook = s.optional("SHIPPO_WEBHOOK_TOKEN");
    if (hook.isPresent() && hook.get().length() < 16) {
      throw new ConfigException("SHIPPO_WEBHOOK_TOKEN must be at least 16 characters");
    }
    Optional<JsonObject> shipFrom = shipFrom(s);
    return new ShippoSettings(simulator ? Optional.of(token.orElse(SIMULATOR_TOKEN)) : token,
        base.endsWith("/") ? base.substring(0, base.length() - 1) : base, simulator, port,
        hook.isPresent() || !simulator ? hook : Optional.of(DEV_WEBHOOK_TOKEN),
        shipFrom.isPresent() || mode != RunMode.DEV ? shipFrom : Optional.of(DEV_SHIP_FROM.copy()),
        services, s.string("SHIPPO_PRIORITY_SERVICE", "usps_priority"),
        s.integer("SHIPPO_PRIORITY_OVER_CENTS", 20_000, 0, Integer.MAX_VALUE));
  }

  /** Settings for tests: the simulator at {@code apiBase}, the dev webhook token, the given global ship-from. */
  public static ShippoSettings forSimulator(String apiBase, JsonObject shipFrom) {
    return new ShippoSettings(Optional.of(SIMULATOR_TOKEN), apiBase, true, DEFAULT_SIMULATOR_PORT,
        Optional.of(DEV_WEBHOOK_TOKEN), Optional.ofNullable(shipFrom),
        List.of(DEFAULT_SERVICES.split(",")), "usps_priority", 20_000);
  }

  /** SHIP_FROM_NAME, _LINE1, _CITY, _POSTAL_CODE required together; _LINE2, _STATE, _COUNTRY (US), _PHONE optional. */
  private static Optional<JsonObject> shipFrom(Settings s) {
    String[][] fields = {{"name", "SHIP_FROM_NAME"}, {"line1", "SHIP_FROM_LINE1"}, {"line2", "SHIP_FROM_LINE2"},
        {"city", "SHIP_FROM_CITY"}, {"state", "SHIP_FROM_STATE"}, {"postalCode", "SHIP_FROM_POSTAL_CODE"},
        {"country", "SHIP_FROM_COUNTRY"}, {"phone", "SHIP_FROM_PHONE"}};
    JsonObject out = new JsonObject();
    for (String[] f : fields) {
      s.optional(f[1]).map(String::strip).filter(v -> !v.isEmpty()).ifPresent(v -> out.put(f[0], v));
    }
    if (out.isEmpty()) {
      return Optional.empty();
    }
    for (String[] f : new String[][] {{"name", "SHIP_FROM_NAME"}, {"line1", "SHIP_FROM_LINE1"},
        {"city", "SHIP_FROM_CITY"}, {"postalCode", "SHIP_FROM_POSTAL_CODE"}}) {
      if (!out.containsKey(f[0])) {
        throw new ConfigException(f[1] + " is required when any SHIP_FROM_* is set");
      }
    }
    String country = out.getString("country", "US");
    if (!country.matches("[A-Za-z]{2}")) {
      throw new ConfigException("SHIP_FROM_COUNTRY must be a two-letter code like US");
    }
    return Optional.of(out.put("country", country.toUpperCase()));
  }

  public boolean configured() {
    return token.isPresent();
  }

  /** What a startup log line may say, without the token. */
  public String describe() {
    if (!configured()) {
      return "shipping not configured (no SHIPPO_API_TOKEN, simulator off)";
    }
    return (simulator ? "Shippo simulator at " : "Shippo at ") + apiBase
        + (globalShipFrom.isEmpty() ? " (no global SHIP_FROM_*: ToT and shops without an address can't buy labels)" : "");
  }
}
