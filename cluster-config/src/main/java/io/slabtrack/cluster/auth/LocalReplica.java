package io.slabtrack.cluster.auth;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An immutable local copy of a Hazelcast replicated map that session checks read on the event loop (no network,
 * nothing blocking). The map's listener refreshes the copy within milliseconds of a change anywhere in the cluster;
 * a periodic re-read is the backstop that keeps "refused within seconds" true even if an event is lost.
 */
final class LocalReplica<V> {
  static final long REFRESH_MS = 10_000;

  private final Vertx vertx;
  private final ReplicatedMap<String, V> map;
  private volatile Map<String, V> snapshot = Map.of();
  private UUID listenerId;
  private long timerId = -1;

  LocalReplica(Vertx vertx, ReplicatedMap<String, V> map) {
    this.vertx = vertx;
    this.map = map;
  }

  /** Reads the map once and starts following it; completes when the first snapshot is in place. */
  Future<Void> start() {
    return vertx.executeBlocking(() -> {
      listenerId = map.addEntryListener(new Refresher());
      refresh();
      return null;
    }, false).onSuccess(x -> timerId = vertx.setPeriodic(REFRESH_MS, id -> blocking(this::refresh))).mapEmpty();
  }

  Future<Void> stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    UUID id = listenerId;
    return id == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> map.removeEntryListener(id), false).recover(e -> Future.succeededFuture(true))
            .mapEmpty();
  }

  /** The latest local copy; never null. */
  Map<String, V> snapshot() {
    return snapshot;
  }

  /** Runs a write on the replicated map off the event loop, then re-reads it so this node sees it at once. */
  Future<Void> write(Consumer<ReplicatedMap<String, V>> change) {
    return blocking(() -> {
      change.accept(map);
      refresh();
    });
  }

  private Future<Void> blocking(Runnable task) {
    return vertx.executeBlocking(() -> {
      task.run();
      return null;
    }, false);
  }

  private void refresh() {
    snapshot = Map.copyOf(map);
  }

  /** Any change re-reads the local replica: simpler than patching the snapshot, and just as cheap. */
  private final class Refresher implements EntryListener<String, V> {
    @Override
    public void entryAdded(EntryEvent<String, V> event) {
      refresh();
    }

    @Override
    public void entryUpdated(EntryEvent<String, V> event) {
      refresh();
    }

    @Override
    public void entryRemoved(EntryEvent<String, V> event) {
      refresh();
    }

    @Override
    public void entryEvicted(EntryEvent<String, V> event) {
      refresh();
    }

    @Override
    public void entryExpired(EntryEvent<String, V> event) {
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
