package io.slabtrack.simulator.stripe;

import com.stripe.Stripe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The simulator's memory: every Stripe object by id (ids carry Stripe's prefixes, so one map holds them all)
 * and the event log, newest last. Touched only from the simulator's event loop, so it needs no locking.
 * Objects are stored as the JSON Stripe would send; handlers mutate them in place and emit snapshots.
 */
final class SimStore {
  static final Duration EVENT_RETENTION = Duration.ofDays(30);
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, JsonObject> objects = new HashMap<>();
  private final List<JsonObject> events = new ArrayList<>();
  private final Clock clock;
  private final Consumer<JsonObject> onEvent;

  SimStore(Clock clock, Consumer<JsonObject> onEvent) {
    this.clock = clock;
    this.onEvent = onEvent;
  }

  long now() {
    return clock.instant().getEpochSecond();
  }

  static String newId(String prefix) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < 24; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  /** A new Stripe object with the fields every object has. */
  JsonObject create(String prefix, String objectType) {
    JsonObject o = new JsonObject().put("id", newId(prefix)).put("object", objectType)
        .put("created", now()).put("livemode", false);
    objects.put(o.getString("id"), o);
    return o;
  }

  JsonObject get(String id, String kind) {
    JsonObject o = id == null ? null : objects.get(id);
    if (o == null || !kind.equals(o.getString("object"))) {
      throw SimError.notFound(kind.replace('_', ' '), id);
    }
    return o;
  }

  JsonObject find(String id) {
    return objects.get(id);
  }

  /**
   * Records an event carrying a snapshot of {@code object} and hands it to delivery. {@code account} is the
   * connected account for Connect events ({@code account.updated}), null for the platform's own.
   */
  JsonObject emit(String type, JsonObject object, JsonObject previousAttributes, String account) {
    JsonObject data = new JsonObject().put("object", object.copy());
    if (previousAttributes != null) {
      data.put("previous_attributes", previousAttributes);
    }
    JsonObject event = new JsonObject().put("id", newId("evt_")).put("object", "event")
        // stripe-java deserialises typed objects only for its own API version
        .put("api_version", Stripe.API_VERSION)
        .put("created", now()).put("data", data).put("livemode", false).put("pending_webhooks", 0)
        .put("request", new JsonObject().putNull("id").putNull("idempotency_key")).put("type", type);
    if (account != null) {
      event.put("account", account);
    }
    events.add(event);
    objects.put(event.getString("id"), event);
    onEvent.accept(event);
    return event;
  }

  /** Stripe's list order: newest first; {@code starting_after} continues towards older events. */
  JsonObject listEvents(Predicate<JsonObject> filter, String startingAfter, int limit) {
    pruneEvents();
    List<JsonObject> newestFirst = new ArrayList<>();
    for (int i = events.size() - 1; i >= 0; i--) {
      newestFirst.add(events.get(i));
    }
    int from = 0;
    if (startingAfter != null) {
      int idx = -1;
      for (int i = 0; i < newestFirst.size(); i++) {
        if (newestFirst.get(i).getString("id").equals(startingAfter)) {
          idx = i;
          break;
        }
      }
      if (idx < 0) {
        throw SimError.invalid("resource_missing", "No such event: '" + startingAfter + "'", "starting_after");
      }
      from = idx + 1;
    }
    JsonArray data = new JsonArray();
    boolean hasMore = false;
    for (int i = from; i < newestFirst.size(); i++) {
      JsonObject e = newestFirst.get(i);
      if (!filter.test(e)) {
        continue;
      }
      if (data.size() == limit) {
        hasMore = true;
        break;
      }
      data.add(e);
    }
    return new JsonObject().put("object", "list").put("url", "/v1/events").put("has_more", hasMore)
        .put("data", data);
  }

  JsonObject event(String id) {
    pruneEvents();
    return get(id, "event");
  }

  /** Stripe keeps events for 30 days; so does the simulator, so a reconciler can't lean on older ones. */
  void pruneEvents() {
    long cutoff = now() - EVENT_RETENTION.toSeconds();
    events.removeIf(e -> {
      boolean old = e.getLong("created") < cutoff;
      if (old) {
        objects.remove(e.getString("id"));
      }
      return old;
    });
  }

  /** Open checkout sessions whose {@code expires_at} has passed, for the expiry sweep. */
  List<JsonObject> overdueSessions() {
    long now = now();
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject o : objects.values()) {
      if ("checkout.session".equals(o.getString("object")) && "open".equals(o.getString("status"))
          && o.getLong("expires_at") <= now) {
        out.add(o);
      }
    }
    return out;
  }

  /** Replaces ids named in {@code expand} (one level, e.g. {@code payment_intent}) with the objects. */
  JsonObject expanded(JsonObject o, JsonArray expand) {
    if (expand.isEmpty()) {
      return o;
    }
    JsonObject copy = o.copy();
    for (Object path : expand) {
      String field = String.valueOf(path);
      if (copy.getValue(field) instanceof String id && objects.containsKey(id)) {
        copy.put(field, objects.get(id).copy());
      }
    }
    return copy;
  }
}
