package io.slabtrack.cluster.auth;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Which users are disabled, as every node of every app sees it: a Hazelcast replicated map that core writes
 * when an operator disables or re-enables someone, read here into a local snapshot. Session checks look at the
 * snapshot only (no database, no network, nothing blocking on the event loop). The map's listener refreshes the
 * snapshot within milliseconds; a periodic re-read is the backstop that keeps "locked out within a minute" true
 * even if an event is lost.
 */
public final class DisabledUsers implements Predicate<String> {
  public static final String MAP = "slabtrack.disabled-users";
  static final long REFRESH_MS = 10_000;

  private final Vertx vertx;
  private final ReplicatedMap<String, Long> map;
  private volatile Set<String> snapshot = Set.of();
  private UUID listenerId;
  private long timerId = -1;

  public DisabledUsers(ClusterNode cluster) {
    this.vertx = cluster.vertx();
    this.map = cluster.hazelcast().getReplicatedMap(MAP);
  }

  /** Reads the map once and starts following it; completes when the first snapshot is in place. */
  public Future<Void> start() {
    return vertx.executeBlocking(() -> {
      listenerId = map.addEntryListener(new Refresher());
      refresh();
      return null;
    }, false).onSuccess(x -> timerId = vertx.setPeriodic(REFRESH_MS, id ->
        vertx.executeBlocking(() -> {
          refresh();
          return null;
        }, false))).mapEmpty();
  }

  public Future<Void> stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    UUID id = listenerId;
    return id == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> map.removeEntryListener(id), false).recover(e -> Future.succeededFuture(true))
            .mapEmpty();
  }

  /** True when the user id (a session's {@code sub}) is disabled. */
  @Override
  public boolean test(String userId) {
    return userId != null && snapshot.contains(userId);
  }

  public Future<Void> disable(String userId) {
    return vertx.executeBlocking(() -> map.put(userId, System.currentTimeMillis()), false).mapEmpty();
  }

  public Future<Void> enable(String userId) {
    return vertx.executeBlocking(() -> map.remove(userId), false).mapEmpty();
  }

  /** Makes the map hold exactly {@code disabled} (core's database is the truth; this repairs a lost write). */
  public Future<Void> replaceAll(Set<String> disabled) {
    return vertx.executeBlocking(() -> {
      map.keySet().stream().filter(k -> !disabled.contains(k)).forEach(map::remove);
      disabled.stream().filter(k -> !map.containsKey(k)).forEach(k -> map.put(k, System.currentTimeMillis()));
      refresh();
      return null;
    }, false);
  }

  private void refresh() {
    snapshot = Set.copyOf(map.keySet());
  }

  /** Any change re-reads the local replica: simpler than patching the snapshot, and just as cheap. */
  private final class Refresher implements EntryListener<String, Long> {
    @Override
    public void entryAdded(EntryEvent<String, Long> event) {
      refresh();
    }

    @Override
    public void entryUpdated(EntryEvent<String, Long> event) {
      refresh();
    }

    @Override
    public void entryRemoved(EntryEvent<String, Long> event) {
      refresh();
    }

    @Override
    public void entryEvicted(EntryEvent<String, Long> event) {
      refresh();
    }

    @Override
    public void entryExpired(EntryEvent<String, Long> event) {
      refresh();
    }

    @Override
    public void mapCleared(MapEvent event) {
      refresh();
    }

    @Override
    public void mapEvicted(MapEvent event) {
      refresh();
    }
  }
}
