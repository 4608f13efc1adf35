package io.slabtrack.simulator.stripe;

import com.stripe.Stripe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The simulator's memory: every Stripe object by id (ids carry Stripe's prefixes, so one map holds them all)
 * and the event log, newest last. Touched only from the simulator's event loop, so it needs no locking.
 * Objects are stored as the JSON Stripe would send; handlers mutate them in place and emit snapshots.
 *
 * <p>Bounded, so a dev instance left running doesn't grow without limit (it used to keep every object and event:
 * ~32 KB per paid checkout): at most {@code maxEvents} events (the newest; and none older than 30 days, as
 * Stripe), and about {@code maxObjects} other objects. Beyond that the oldest <em>settled</em> objects are
 * forgotten first — paid or expired sessions, captured or cancelled intents, their charges, refunds, closed
 * disputes, account links; accounts and anything still open (an open session, an uncaptured authorization) are
 * kept until twice the bound, then the oldest go too. A forgotten object answers 404 like an unknown id.
 */
final class SimStore {
  static final Duration EVENT_RETENTION = Duration.ofDays(30);
  static final int DEFAULT_MAX_OBJECTS = 10_000;
  static final int DEFAULT_MAX_EVENTS = 10_000;
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Insertion order = creation order: eviction walks it from the oldest. Events live in {@link #events}. */
  private final LinkedHashMap<String, JsonObject> objects = new LinkedHashMap<>();
  private final ArrayDeque<JsonObject> events = new ArrayDeque<>();
  private final Map<String, JsonObject> eventsById = new HashMap<>();
  private final Clock clock;
  private final Consumer<JsonObject> onEvent;
  private final int maxObjects;
  private final int maxEvents;
  /** The size at which {@link #create} walks the map again: open objects alone may keep it above the bound. */
  private int evictAt;

  SimStore(Clock clock, Consumer<JsonObject> onEvent) {
    this(clock, onEvent, DEFAULT_MAX_OBJECTS, DEFAULT_MAX_EVENTS);
  }

  SimStore(Clock clock, Consumer<JsonObject> onEvent, int maxObjects, int maxEvents) {
    this.clock = clock;
    this.onEvent = onEvent;
    this.maxObjects = Math.max(1, maxObjects);
    this.maxEvents = Math.max(1, maxEvents);
    this.evictAt = this.maxObjects + slack();
  }

  private int slack() {
    return Math.max(16, maxObjects / 10);
  }

  /** What the store holds now: {@code {objects, events}} (for the control route and tests). */
  JsonObject sizes() {
    return new JsonObject().put("objects", objects.size()).put("events", events.size())
        .put("maxObjects", maxObjects).put("maxEvents", maxEvents);
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
    if (objects.size() > evictAt) {
      evictObjects(); // amortised: one walk per ~10% of the bound
    }
    return o;
  }

  JsonObject get(String id, String kind) {
    JsonObject o = id == null ? null : find(id);
    if (o == null || !kind.equals(o.getString("object"))) {
      throw SimError.notFound(kind.replace('_', ' '), id);
    }
    return o;
  }

  JsonObject find(String id) {
    JsonObject o = objects.get(id);
    return o != null ? o : eventsById.get(id);
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
    events.addLast(event);
    eventsById.put(event.getString("id"), event);
    while (events.size() > maxEvents) {
      eventsById.remove(events.removeFirst().getString("id"));
    }
    onEvent.accept(event);
    return event;
  }

  /** Stripe's list order: newest first; {@code starting_after} continues towards older events. */
  JsonObject listEvents(Predicate<JsonObject> filter, String startingAfter, int limit) {
    pruneEvents();
    List<JsonObject> newestFirst = new ArrayList<>(events.size());
    events.descendingIterator().forEachRemaining(newestFirst::add);
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
    while (!events.isEmpty() && events.peekFirst().getLong("created") < cutoff) {
      eventsById.remove(events.removeFirst().getString("id"));
    }
  }

  /**
   * Down to {@code maxObjects}: the oldest settled objects first; if open ones alone still exceed twice the bound,
   * the oldest of those too (a forgotten authorization is better than a dev machine out of memory).
   */
  void evictObjects() {
    Iterator<JsonObject> it = objects.values().iterator();
    while (objects.size() > maxObjects && it.hasNext()) {
      if (settled(it.next())) {
        it.remove();
      }
    }
    it = objects.values().iterator();
    while (objects.size() > 2 * maxObjects && it.hasNext()) {
      if (!"account".equals(it.next().getString("object"))) {
        it.remove();
      }
    }
    evictAt = Math.max(objects.size(), maxObjects) + slack();
  }

  /** Nothing more will happen to it in a normal flow (a refund of a captured charge is the rare exception). */
  static boolean settled(JsonObject o) {
    String status = o.getString("status");
    return switch (o.getString("object", "")) {
      case "checkout.session" -> !"open".equals(status);
      case "payment_intent" -> "succeeded".equals(status) || "canceled".equals(status);
      case "charge" -> Boolean.TRUE.equals(o.getBoolean("captured")) || "failed".equals(status)
          || Boolean.TRUE.equals(o.getBoolean("refunded"));
      case "dispute" -> "won".equals(status) || "lost".equals(status);
      case "account" -> false;
      default -> true; // refunds, account links
    };
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
      if (copy.getValue(field) instanceof String id && find(id) != null) {
        copy.put(field, find(id).copy());
      }
    }
    return copy;
  }
}
