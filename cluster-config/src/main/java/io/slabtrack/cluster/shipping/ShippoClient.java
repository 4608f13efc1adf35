package io.slabtrack.cluster.shipping;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of Shippo's REST API the apps use, on Vert.x's web client: address validation, shipments (which carry the
 * rates), transactions (buying a label for a rate), refunds and the label file. Our addresses ({@code name, line1,
 * line2, city, state, postalCode, country}) are translated to Shippo's ({@code street1, zip…}) here and nowhere else.
 *
 * <p>Errors become {@link ApiException}s the routes can answer with: an address Shippo rejects is a 422
 * {@code invalid_address} naming our field ({@code details.field}, e.g. {@code shippingAddress.postalCode}); a label
 * Shippo won't sell is a 422 {@code label_refused}; Shippo down or answering 5xx is a 502 {@code shipping_unavailable}.
 */
public final class ShippoClient {
  private static final Logger LOG = LoggerFactory.getLogger(ShippoClient.class);
  /** Shippo's field names in an address, to ours. */
  private static final Map<String, String> FIELDS = Map.of("name", "name", "street1", "line1", "street2", "line2",
      "city", "city", "state", "state", "zip", "postalCode", "country", "country", "phone", "phone");

  private final ShippoSettings settings;
  private final WebClient web;

  public ShippoClient(Vertx vertx, ShippoSettings settings) {
    this.settings = settings;
    this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(60)
        .setUserAgent("slabtrack"));
  }

  public ShippoSettings settings() {
    return settings;
  }

  /** 503 {@code shipping_not_configured} when there is no token (and no simulator). */
  public void requireConfigured() {
    if (!settings.configured()) {
      throw ApiErrors.unavailable("shipping_not_configured",
          "shipping not configured (set SHIPPO_API_TOKEN, or SHIPPO_SIMULATOR=true)");
    }
  }

  /**
   * Validates one of our addresses at Shippo. Fails with 422 {@code invalid_address} naming
   * {@code <field>.<ourKey>} when Shippo says it is not deliverable.
   */
  public Future<JsonObject> validate(JsonObject address, String field) {
    return call(HttpMethod.POST, "/addresses/", toShippo(address).put("validate", true), null).map(a -> {
      JsonObject results = a.getJsonObject("validation_results", new JsonObject());
      if (Boolean.FALSE.equals(results.getBoolean("is_valid"))) {
        JsonArray messages = results.getJsonArray("messages", new JsonArray());
        JsonObject first = messages.isEmpty() ? new JsonObject() : messages.getJsonObject(0);
        String text = first.getString("text", "Shippo could not validate this address");
        throw invalidAddress(field + "." + guessField(first.getString("code", "") + " " + text), text);
      }
      return a;
    });
  }

  /**
   * A shipment with its rates ({@code rates[]}: {@code object_id, amount, currency, provider, servicelevel.token});
   * {@code insuranceCents} > 0 insures the parcel for that value.
   */
  public Future<JsonObject> shipment(JsonObject from, JsonObject to, JsonObject parcel, long insuranceCents,
                                     String metadata) {
    JsonObject body = new JsonObject().put("address_from", toShippo(from)).put("address_to", toShippo(to))
        .put("parcels", new JsonArray().add(parcel)).put("async", false).put("metadata", metadata);
    if (insuranceCents > 0) {
      body.put("extra", new JsonObject().put("insurance", new JsonObject().put("amount", dollars(insuranceCents))
          .put("currency", "USD").put("content", "Graded trading cards")));
    }
    return call(HttpMethod.POST, "/shipments/", body, null);
  }

  /**
   * Buys the label for a rate as a 4×6 PDF. {@code idempotencyKey} goes along as {@code Idempotency-Key} (our
   * simulator answers a repeat with the first transaction); our own guard is the per-order label row.
   */
  public Future<JsonObject> buy(String rateId, String metadata, String idempotencyKey) {
    JsonObject body = new JsonObject().put("rate", rateId).put("label_file_type", "PDF_4x6").put("async", false)
        .put("metadata", metadata);
    return call(HttpMethod.POST, "/transactions/", body, idempotencyKey).map(t -> {
      if (!"SUCCESS".equals(t.getString("status"))) {
        throw new ApiException(422, "label_refused", "Shippo did not sell the label: " + messages(t),
            new JsonObject().put("messages", t.getJsonArray("messages", new JsonArray())));
      }
      return t;
    });
  }

  /** Asks Shippo to refund an unused label; the answer's {@code status} is QUEUED, PENDING, SUCCESS or ERROR. */
  public Future<JsonObject> refund(String transactionId) {
    return call(HttpMethod.POST, "/refunds/", new JsonObject().put("transaction", transactionId).put("async", false),
        "refund-" + transactionId).map(r -> {
          if ("ERROR".equals(r.getString("status"))) {
            throw new ApiException(409, "refund_refused", "The carrier won't refund this label: " + messages(r));
          }
          return r;
        });
  }

  /** The label file behind a transaction's {@code label_url} (a signed, unauthenticated URL at Shippo). */
  public Future<Buffer> download(String labelUrl) {
    return web.getAbs(labelUrl).timeout(30_000).send().map(r -> {
      if (r.statusCode() != 200) {
        throw new ApiException(502, "shipping_unavailable", "The label file could not be fetched (" + r.statusCode() + ")");
      }
      return r.body();
    }).recover(t -> t instanceof ApiException ? Future.failedFuture(t)
        : Future.failedFuture(new ApiException(502, "shipping_unavailable", "The label file could not be fetched")));
  }

  private Future<JsonObject> call(HttpMethod method, String path, JsonObject body, String idempotencyKey) {
    try {
      requireConfigured();
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    var req = web.requestAbs(method, settings.apiBase() + path).timeout(60_000)
        .putHeader("Authorization", "ShippoToken " + settings.token().get())
        .putHeader("Content-Type", "application/json");
    if (idempotencyKey != null) {
      req.putHeader("Idempotency-Key", idempotencyKey);
    }
    return req.sendBuffer(Buffer.buffer(body.encode()))
        .recover(t -> {
          LOG.warn("Shippo {} {} failed: {}", method, path, t.toString());
          return Future.failedFuture(new ApiException(502, "shipping_unavailable", "Shippo could not be reached"));
        })
        .map(r -> answer(path, r));
  }

  private static JsonObject answer(String path, HttpResponse<Buffer> r) {
    JsonObject json;
    try {
      json = r.bodyAsJsonObject();
    } catch (RuntimeException e) {
      json = null;
    }
    if (r.statusCode() / 100 == 2 && json != null) {
      return json;
    }
    if (r.statusCode() == 400 && json != null) {
      // Shippo's validation errors are keyed by its field: {"address_to": {"zip": ["…"]}}
      for (String side : new String[] {"address_to", "address_from"}) {
        if (json.getValue(side) instanceof JsonObject errors && !errors.isEmpty()) {
          String key = errors.fieldNames().iterator().next();
          String ours = (side.equals("address_to") ? "shippingAddress." : "shipFrom.") + FIELDS.getOrDefault(key, key);
          throw invalidAddress(ours, String.valueOf(errors.getValue(key)).replaceAll("^\\[\"?|\"?]$", ""));
        }
      }
      throw new ApiException(422, "label_refused", "Shippo refused the request: " + json.encode());
    }
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      LOG.error("Shippo refused our token on {} ({}): check SHIPPO_API_TOKEN", path, r.statusCode());
    } else {
      LOG.warn("Shippo {} answered {}: {}", path, r.statusCode(), r.bodyAsString());
    }
    throw new ApiException(502, "shipping_unavailable", "Shippo answered " + r.statusCode());
  }

  private static ApiException invalidAddress(String field, String message) {
    return new ApiException(422, "invalid_address", field + ": " + message, new JsonObject().put("field", field));
  }

  /** Shippo's address validation speaks in words; the field they name is ours to find. */
  static String guessField(String text) {
    String t = text.toLowerCase();
    if (t.contains("zip") || t.contains("postal")) {
      return "postalCode";
    }
    if (t.contains("city")) {
      return "city";
    }
    if (t.contains("state")) {
      return "state";
    }
    if (t.contains("country")) {
      return "country";
    }
    return "line1";
  }

  private static String messages(JsonObject o) {
    StringBuilder b = new StringBuilder();
    o.getJsonArray("messages", new JsonArray()).forEach(m -> {
      if (m instanceof JsonObject j) {
        b.append(b.isEmpty() ? "" : "; ").append(j.getString("text", j.encode()));
      }
    });
    return b.isEmpty() ? "no reason given" : b.toString();
  }

  /** Our address as Shippo's. */
  public static JsonObject toShippo(JsonObject a) {
    JsonObject out = new JsonObject().put("name", a.getString("name")).put("street1", a.getString("line1"))
        .put("city", a.getString("city")).put("zip", a.getString("postalCode"))
        .put("country", a.getString("country", "US"));
    if (a.getString("line2") != null) {
      out.put("street2", a.getString("line2"));
    }
    if (a.getString("state") != null) {
      out.put("state", a.getString("state"));
    }
    if (a.getString("phone") != null) {
      out.put("phone", a.getString("phone"));
    }
    return out;
  }

  public static String dollars(long cents) {
    return BigDecimal.valueOf(cents).movePointLeft(2).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
  }

  /** "12.34" → 1234 (Shippo's amounts are decimal strings in dollars). */
  public static long cents(String amount) {
    return new BigDecimal(amount).movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }
}
