package io.slabtrack.simulator.shippo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The simulator's objects and rules (in memory): addresses it accepts or rejects, shipments with USPS and UPS rates
 * priced by weight and distance (plus 1% of any insured value), transactions with tracking numbers and a label PDF,
 * refunds of unused labels, and the tracks the control routes move.
 *
 * <p>Rejected addresses: a US {@code zip} that is not 5 (or 5+4) digits, or {@code 00000}; a blank {@code city};
 * a {@code street1} containing "undeliverable".
 */
final class SimShippo {
  /** service token → [provider, name, base cents, cents per oz, cents per zone]. */
  private static final Object[][] SERVICES = {
      {"usps_ground_advantage", "USPS", "Ground Advantage", 450, 15, 40},
      {"usps_priority", "USPS", "Priority Mail", 850, 10, 60},
      {"usps_priority_express", "USPS", "Priority Mail Express", 2850, 20, 100},
      {"ups_ground", "UPS", "Ground", 900, 12, 50},
      {"ups_second_day_air", "UPS", "2nd Day Air", 1900, 20, 90}};
  private static final AtomicLong NUMBERS = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L);

  final Map<String, JsonObject> rates = new ConcurrentHashMap<>();
  final Map<String, JsonObject> transactions = new ConcurrentHashMap<>();
  final Map<String, byte[]> labels = new ConcurrentHashMap<>();
  final Map<String, JsonObject> refunds = new ConcurrentHashMap<>();
  /** tracking number → track (carrier, tracking_number, tracking_status, tracking_history, metadata). */
  final Map<String, JsonObject> tracks = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> shipments = new ConcurrentHashMap<>();
  private final Supplier<String> publicBase;

  SimShippo(Supplier<String> publicBase) {
    this.publicBase = publicBase;
  }

  static String id() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** The first problem with an address, as Shippo's field name and text; null when it is fine. */
  static String[] problem(JsonObject a) {
    String zip = a.getString("zip", "");
    if ("US".equalsIgnoreCase(a.getString("country", "US")) && (!zip.matches("\\d{5}(-\\d{4})?") || zip.startsWith("00000"))) {
      return new String[] {"zip", "Invalid Zip Code: " + zip};
    }
    if (a.getString("city", "").isBlank()) {
      return new String[] {"city", "Invalid City"};
    }
    if (a.getString("street1", "").isBlank() || a.getString("street1").toLowerCase().contains("undeliverable")) {
      return new String[] {"street1", "Address Not Found"};
    }
    return null;
  }

  JsonObject address(JsonObject in) {
    JsonObject out = in.copy().put("object_id", id()).put("object_state", "VALID").put("is_complete", true)
        .put("object_created", Instant.now().toString());
    if (Boolean.TRUE.equals(in.getBoolean("validate"))) {
      String[] p = problem(in);
      JsonArray messages = new JsonArray();
      if (p != null) {
        messages.add(new JsonObject().put("source", "USPS").put("code", p[1].split(":")[0]).put("type", "address_error")
            .put("text", p[1]));
      }
      out.put("validation_results", new JsonObject().put("is_valid", p == null).put("messages", messages));
    }
    return out;
  }

  /** @throws SimFailure 400 keyed by the side and field, as Shippo answers a bad shipment */
  JsonObject shipment(JsonObject in) {
    for (String side : new String[] {"address_from", "address_to"}) {
      if (!(in.getValue(side) instanceof JsonObject a)) {
        throw new SimFailure(400, new JsonObject().put(side, new JsonArray().add("This field is required.")));
      }
      String[] p = problem(a);
      if (p != null) {
        throw new SimFailure(400, new JsonObject().put(side, new JsonObject().put(p[0], new JsonArray().add(p[1]))));
      }
    }
    JsonArray parcels = in.getJsonArray("parcels", new JsonArray());
    if (parcels.isEmpty()) {
      throw new SimFailure(400, new JsonObject().put("parcels", new JsonArray().add("This field is required.")));
    }
    double ounces = 0;
    for (Object p : parcels) {
      JsonObject parcel = (JsonObject) p;
      double w = Double.parseDouble(parcel.getString("weight", "0"));
      ounces += "lb".equals(parcel.getString("mass_unit")) ? w * 16 : w;
    }
    int zone = Math.abs(digit(in.getJsonObject("address_from")) - digit(in.getJsonObject("address_to")));
    long insuredCents = 0;
    JsonObject insurance = in.getJsonObject("extra", new JsonObject()).getJsonObject("insurance");
    if (insurance != null) {
      insuredCents = new java.math.BigDecimal(insurance.getString("amount", "0")).movePointRight(2).longValue();
    }
    String shipmentId = id();
    JsonArray out = new JsonArray();
    for (Object[] s : SERVICES) {
      long cents = (int) s[3] + Math.round((int) s[4] * ounces) + (long) (int) s[5] * zone
          + (insuredCents > 0 ? Math.max(100, insuredCents / 100) : 0);
      JsonObject rate = new JsonObject().put("object_id", id()).put("shipment", shipmentId)
          .put("amount", java.math.BigDecimal.valueOf(cents).movePointLeft(2).toPlainString()).put("currency", "USD")
          .put("provider", s[1]).put("servicelevel", new JsonObject().put("token", s[0]).put("name", s[2]))
          .put("estimated_days", 1 + zone / 3).put("attributes", new JsonArray());
      rates.put(rate.getString("object_id"), rate.copy().put("_from", in.getJsonObject("address_from"))
          .put("_to", in.getJsonObject("address_to")));
      out.add(rate);
    }
    JsonObject shipment = new JsonObject().put("object_id", shipmentId).put("status", "SUCCESS")
        .put("address_from", in.getJsonObject("address_from")).put("address_to", in.getJsonObject("address_to"))
        .put("parcels", parcels).put("extra", in.getJsonObject("extra", new JsonObject()))
        .put("metadata", in.getString("metadata", "")).put("rates", out).put("messages", new JsonArray())
        .put("object_created", Instant.now().toString());
    shipments.put(shipmentId, shipment);
    return shipment;
  }

  JsonObject transaction(JsonObject in) {
    JsonObject stored = in.getString("rate") == null ? null : rates.get(in.getString("rate"));
    if (stored == null) {
      throw new SimFailure(400, new JsonObject().put("rate", new JsonArray().add("Rate not found.")));
    }
    JsonObject rate = stored.copy();
    JsonObject from = (JsonObject) rate.remove("_from");
    JsonObject to = (JsonObject) rate.remove("_to");
    boolean usps = "USPS".equals(rate.getString("provider"));
    long n = NUMBERS.incrementAndGet();
    String tracking = usps ? String.format("94001%017d", n) : String.format("1Z999AA1%010d", n);
    String id = id();
    JsonObject t = new JsonObject().put("object_id", id).put("object_state", "VALID").put("status", "SUCCESS")
        .put("object_created", Instant.now().toString()).put("test", true).put("rate", rate.getString("object_id"))
        .put("tracking_number", tracking).put("tracking_status", "PRE_TRANSIT")
        .put("tracking_url_provider", usps ? "https://tools.usps.com/go/TrackConfirmAction?tLabels=" + tracking
            : "https://www.ups.com/track?tracknum=" + tracking)
        .put("label_url", publicBase.get() + "/labels/" + id + ".pdf")
        .put("label_file_type", in.getString("label_file_type", "PDF_4x6"))
        .put("metadata", in.getString("metadata", "")).put("messages", new JsonArray());
    labels.put(id, LabelPdf.render(t, rate, from, to));
    transactions.put(id, t);
    tracks.put(tracking, new JsonObject().put("carrier", rate.getString("provider").toLowerCase())
        .put("tracking_number", tracking).put("transaction", id).put("metadata", t.getString("metadata"))
        .put("tracking_status", status("PRE_TRANSIT", null, Instant.now().toString()))
        .put("tracking_history", new JsonArray()));
    return t;
  }

  /** Unused labels (no scan beyond PRE_TRANSIT) refund; anything else is an ERROR refund, as carriers answer. */
  JsonObject refund(JsonObject in) {
    JsonObject t = in.getString("transaction") == null ? null : transactions.get(in.getString("transaction"));
    if (t == null) {
      throw new SimFailure(400, new JsonObject().put("transaction", new JsonArray().add("Transaction not found.")));
    }
    JsonObject existing = refunds.get(t.getString("object_id"));
    if (existing != null) {
      return existing;
    }
    String scan = tracks.get(t.getString("tracking_number")).getJsonObject("tracking_status").getString("status");
    boolean unused = "PRE_TRANSIT".equals(scan) || "UNKNOWN".equals(scan);
    JsonObject r = new JsonObject().put("object_id", id()).put("transaction", t.getString("object_id"))
        .put("object_created", Instant.now().toString()).put("test", true)
        .put("status", unused ? "SUCCESS" : "ERROR");
    if (unused) {
      t.put("status", "REFUNDED");
      refunds.put(t.getString("object_id"), r);
    } else {
      r.put("messages", new JsonArray().add(new JsonObject().put("text", "The label has been used (" + scan + ")")));
    }
    return r;
  }

  /** Sets a track's status (as the carrier scanned it) and returns Shippo's {@code track_updated} event. */
  JsonObject scan(String trackingNumber, String status, String substatus, String statusDate) {
    JsonObject track = tracks.get(trackingNumber);
    if (track == null) {
      throw new SimFailure(404, new JsonObject().put("detail", "Not found."));
    }
    JsonObject s = status(status, substatus, statusDate == null ? Instant.now().toString() : statusDate);
    track.getJsonArray("tracking_history").add(s);
    track.put("tracking_status", s);
    JsonObject data = track.copy();
    data.remove("transaction");
    return new JsonObject().put("event", "track_updated").put("test", true).put("data", data);
  }

  private static JsonObject status(String status, String substatus, String date) {
    JsonObject s = new JsonObject().put("object_id", id()).put("status", status).put("status_date", date)
        .put("status_details", substatus == null ? status : substatus.replace('_', ' '))
        .put("location", new JsonObject().put("city", "Boston").put("state", "MA").put("zip", "02101")
            .put("country", "US"));
    if (substatus != null) {
      s.put("substatus", new JsonObject().put("code", substatus).put("text", substatus.replace('_', ' '))
          .put("action_required", false));
    }
    return s;
  }

  private static int digit(JsonObject a) {
    String zip = a.getString("zip", "0");
    return zip.isEmpty() || !Character.isDigit(zip.charAt(0)) ? 0 : zip.charAt(0) - '0';
  }

  /** An answer other than 2xx, with Shippo's error body. */
  static final class SimFailure extends RuntimeException {
    final int status;
    final JsonObject body;

    SimFailure(int status, JsonObject body) {
      super(body.encode(), null, false, false);
      this.status = status;
      this.body = body;
    }
  }
}
