package io.slabtrack.cluster.outbox;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sender's reply handlers by name. A row stores the name, not code, so a reply may arrive hours after
 * the enqueue (and on another node of the app): every node of the app registers the same names.
 */
public final class ReplyHandlers {
  private final Map<String, ReplyHandler> byName = new ConcurrentHashMap<>();

  public static ReplyHandlers none() {
    return new ReplyHandlers();
  }

  public ReplyHandlers register(String name, ReplyHandler handler) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("reply handler name is required");
    }
    if (byName.putIfAbsent(name, handler) != null) {
      throw new IllegalStateException("reply handler already registered: " + name);
    }
    return this;
  }

  public Optional<ReplyHandler> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
