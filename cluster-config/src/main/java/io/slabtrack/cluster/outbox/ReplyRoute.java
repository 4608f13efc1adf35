package io.slabtrack.cluster.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * A request-reply exchange through the outbox, declared once as a constant and used on both ends: the sender builds
 * its message with {@link #message} and the app registers the reply's handler with
 * {@link ReplyHandlers#register(ReplyRoute, Handler)}, so "find usages" on the constant leads from the enqueue to the
 * handler. The row stores only {@link #name()} (a reply may come hours later, on another node of the app), so the
 * name is a stable, durable identifier: never rename it while rows of it may be pending.
 *
 * @param <T> what the request says, as the sender wrote it and the handler reads it back
 */
public final class ReplyRoute<T> {
  private final String name;
  private final Function<T, JsonObject> encode;
  private final Function<JsonObject, T> decode;

  private ReplyRoute(String name, Function<T, JsonObject> encode, Function<JsonObject, T> decode) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("reply route name is required");
    }
    this.name = name;
    this.encode = Objects.requireNonNull(encode, "encode");
    this.decode = Objects.requireNonNull(decode, "decode");
  }

  /** @param name stored in each row of this route: stable across releases */
  public static <T> ReplyRoute<T> of(String name, Function<T, JsonObject> encode, Function<JsonObject, T> decode) {
    return new ReplyRoute<>(name, encode, decode);
  }

  /** A route whose request is plain JSON (the handler gets the payload as enqueued). */
  public static ReplyRoute<JsonObject> json(String name) {
    return new ReplyRoute<>(name, JsonObject::copy, Function.identity());
  }

  /** The durable name a row of this route stores. */
  public String name() {
    return name;
  }

  /** The message to enqueue; its reply goes to the handler registered for this route. */
  public OutboxMessage message(UUID eventId, String address, String aggregate, T request) {
    return new OutboxMessage(eventId, address, aggregate, encode.apply(request), name);
  }

  /** The same with the request's own {@code eventId} (a new one if it has none). */
  public OutboxMessage message(String address, String aggregate, T request) {
    JsonObject payload = encode.apply(request);
    String bodyId = payload.getString("eventId");
    return new OutboxMessage(bodyId == null ? UUID.randomUUID() : UUID.fromString(bodyId), address, aggregate,
        payload, name);
  }

  T decode(JsonObject payload) {
    return decode.apply(payload);
  }

  @Override
  public String toString() {
    return "ReplyRoute[" + name + "]";
  }

  /**
   * The sender's reaction to the receiver's reply, with the request it answered. {@link #apply} runs in the
   * transaction that marks the row delivered (see {@link ReplyHandler}); a slow call (Stripe) goes in
   * {@link #prepare}, which runs before it and holds no connection.
   */
  @FunctionalInterface
  public interface Handler<T> {
    /** @param reply the receiver's reply, or what {@link #prepare} made of it */
    Future<Void> apply(SqlConnection tx, T request, JsonObject reply);

    /** Outside any transaction; idempotent (it may run more than once for one reply). */
    default Future<JsonObject> prepare(T request, JsonObject reply) {
      return Future.succeededFuture(reply);
    }
  }
}
