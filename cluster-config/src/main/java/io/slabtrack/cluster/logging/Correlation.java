package io.slabtrack.cluster.logging;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.context.storage.ContextLocal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The ids that follow one sale through the apps — request, order, play, claim, event — so that one {@code claimId}
 * finds the sale's log lines in every app. Vert.x has no thread-local MDC across async hops, so they live in the
 * local data of the current <em>duplicated</em> context (one per HTTP request and per event-bus message; futures
 * composed inside it, SQL client callbacks included, run on it). The log encoders read them from there
 * ({@code launcher/.../logging}). Between apps they travel in the bus header {@link #HEADER}, and through the outbox
 * as the row's {@code correlation} column, so they survive a relay that runs much later on another node.
 *
 * <p>Outside a duplicated context (a verticle's start, a timer on the event loop's own context) {@link #put} does
 * nothing: the event loop's base context is shared by unrelated work and must not carry one sale's ids.
 */
public final class Correlation {
  public static final String REQUEST_ID = "requestId";
  public static final String ORDER_ID = "orderId";
  public static final String PLAY_ID = "playId";
  public static final String CLAIM_ID = "claimId";
  public static final String EVENT_ID = "eventId";
  /** Every key, in the order log lines show them. */
  public static final List<String> KEYS = List.of(REQUEST_ID, ORDER_ID, PLAY_ID, CLAIM_ID, EVENT_ID);
  /** The ids that make a message part of a sale (not just an operator's request). */
  public static final List<String> SALE_KEYS = List.of(ORDER_ID, PLAY_ID, CLAIM_ID);
  /** Event-bus header carrying the ids as a JSON object. */
  public static final String HEADER = "slabtrack-correlation";
  /** HTTP header: an incoming well-formed one is kept, every answer carries ours. */
  public static final String HTTP_HEADER = "X-Request-Id";

  /**
   * What we accept from a peer (a header, a bus message): ids and UUIDs, no spaces or quotes that could forge a
   * log line or a JSON field. Anything else is dropped, never echoed.
   */
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  /** Registered by {@link CorrelationProvider} before any Vert.x instance exists, as Vert.x requires. */
  private static final ContextLocal<Fields> LOCAL = CorrelationProvider.FIELDS;

  private Correlation() {
  }

  /** True for a value we would log and forward (see {@link #WELL_FORMED}). */
  public static boolean wellFormed(String value) {
    return value != null && WELL_FORMED.matcher(value).matches();
  }

  /** Sets one id for the rest of the current request or message; ignored outside one or when malformed. */
  public static void put(String key, Object value) {
    if (value == null || !KEYS.contains(key) || !wellFormed(value.toString())) {
      return;
    }
    Fields fields = fields(true);
    if (fields != null) {
      fields.map.put(key, value.toString());
    }
  }

  public static Optional<String> get(String key) {
    Fields fields = fields(false);
    return fields == null ? Optional.empty() : Optional.ofNullable(fields.map.get(key));
  }

  /** The current ids, in {@link #KEYS} order (empty outside a request or message). */
  public static Map<String, String> current() {
    Fields fields = fields(false);
    Map<String, String> out = new LinkedHashMap<>();
    if (fields != null) {
      for (String key : KEYS) {
        String v = fields.map.get(key);
        if (v != null) {
          out.put(key, v);
        }
      }
    }
    return out;
  }

  /** The current ids as JSON (what an outbox row stores), or null when there are none. */
  public static JsonObject currentJson() {
    Map<String, String> ids = current();
    return ids.isEmpty() ? null : new JsonObject(new LinkedHashMap<>(ids));
  }

  /** Takes over the well-formed known ids of a stored or received correlation into the current context. */
  public static void restore(JsonObject ids) {
    if (ids == null) {
      return;
    }
    for (String key : KEYS) {
      Object v = ids.getValue(key);
      if (v instanceof String || v instanceof Number) {
        put(key, v);
      }
    }
  }

  /**
   * The current ids become exactly {@code ids}: for work that speaks for several messages in turn on one context
   * (claims decided together), so that one message's ids never stay on the next one's lines or outbox rows.
   */
  public static void replace(JsonObject ids) {
    Fields fields = fields(true);
    if (fields != null) {
      fields.map.clear();
    }
    restore(ids);
  }

  /** Puts the ids on an outgoing bus message. */
  public static DeliveryOptions toHeaders(JsonObject ids, DeliveryOptions options) {
    if (ids != null && !ids.isEmpty()) {
      options.addHeader(HEADER, ids.encode());
    }
    return options;
  }

  /** The ids of a received bus message: only well-formed known ones; a broken header is ignored. */
  public static JsonObject fromHeaders(MultiMap headers) {
    String raw = headers == null ? null : headers.get(HEADER);
    JsonObject out = new JsonObject();
    if (raw == null || raw.length() > 2048) {
      return out;
    }
    try {
      JsonObject in = new JsonObject(raw);
      for (String key : KEYS) {
        Object v = in.getValue(key);
        if ((v instanceof String || v instanceof Number) && wellFormed(v.toString())) {
          out.put(key, v.toString());
        }
      }
    } catch (RuntimeException e) {
      // a peer's malformed header must not fail its message; the ids are only for the logs
    }
    return out;
  }

  /**
   * For a log line written synchronously outside the message's own context (the relay speaking about a row):
   * the ids go into SLF4J's thread-local MDC until closed.
   */
  public static MDC.MDCCloseable[] inMdc(JsonObject ids) {
    if (ids == null) {
      return new MDC.MDCCloseable[0];
    }
    return KEYS.stream().filter(k -> ids.getValue(k) != null)
        .map(k -> MDC.putCloseable(k, ids.getValue(k).toString())).toArray(MDC.MDCCloseable[]::new);
  }

  public static void closeMdc(MDC.MDCCloseable[] scopes) {
    for (MDC.MDCCloseable scope : scopes) {
      scope.close();
    }
  }

  private static Fields fields(boolean create) {
    Context context = Vertx.currentContext();
    if (!(context instanceof ContextInternal internal) || !internal.isDuplicate()) {
      return null;
    }
    return create ? context.getLocal(LOCAL, Fields::new) : context.getLocal(LOCAL);
  }

  /** The per-context holder (a class of its own: a context local is keyed by its type). */
  public static final class Fields {
    private final Map<String, String> map = new ConcurrentHashMap<>();
  }
}
