package io.slabtrack.cluster.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sender's reply handlers, one per {@link ReplyRoute}. A row stores the route's name, not code, so a reply may
 * arrive hours after the enqueue (and on another node of the app): every node of the app registers the same routes.
 */
public final class ReplyHandlers {
  private final Map<String, ReplyHandler> byName = new ConcurrentHashMap<>();

  public static ReplyHandlers none() {
    return new ReplyHandlers();
  }

  /** Registers the handler of a route's replies; a route is handled once per app. */
  public <T> ReplyHandlers register(ReplyRoute<T> route, ReplyRoute.Handler<T> handler) {
    if (byName.putIfAbsent(route.name(), new Typed<>(route, handler)) != null) {
      throw new IllegalStateException("reply handler already registered: " + route.name());
    }
    return this;
  }

  /** The handler of a row's stored route name (the relay's look-up). */
  Optional<ReplyHandler> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** A route's handler as the relay calls it: the row's payload read back into the route's request type. */
  private record Typed<T>(ReplyRoute<T> route, ReplyRoute.Handler<T> handler) implements ReplyHandler {
    @Override
    public Future<JsonObject> prepare(OutboxRow row, JsonObject reply) {
      return handler.prepare(route.decode(row.payload()), reply);
    }

    @Override
    public Future<Void> apply(SqlConnection tx, OutboxRow row, JsonObject reply) {
      return handler.apply(tx, route.decode(row.payload()), reply);
    }
  }
}
