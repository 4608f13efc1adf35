package io.slabtrack.cluster.auth;

import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.vertx.core.Future;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which users are disabled, as every node of every app sees it: a Hazelcast replicated map that core writes
 * when an operator disables or re-enables someone, followed here in a {@link LocalReplica} so that session checks
 * never wait on the network.
 */
public final class DisabledUsers implements Predicate<String> {
  public static final String MAP = "slabtrack.disabled-users";

  private final LocalReplica<Long> replica;

  public DisabledUsers(ClusterNode cluster) {
    this.replica = new LocalReplica<>(cluster.vertx(), cluster.hazelcast().getReplicatedMap(MAP));
  }

  /** Reads the map once and starts following it; completes when the first snapshot is in place. */
  public Future<Void> start() {
    return replica.start();
  }

  public Future<Void> stop() {
    return replica.stop();
  }

  /** True when the user id (a session's {@code sub}) is disabled. */
  @Override
  public boolean test(String userId) {
    return userId != null && replica.snapshot().containsKey(userId);
  }

  public Future<Void> disable(String userId) {
    return replica.write(map -> map.put(userId, System.currentTimeMillis()));
  }

  public Future<Void> enable(String userId) {
    return replica.write(map -> map.remove(userId));
  }

  /** Makes the map hold exactly {@code disabled} (core's database is the truth; this repairs a lost write). */
  public Future<Void> replaceAll(Set<String> disabled) {
    return replica.write(map -> {
      map.keySet().stream().filter(k -> !disabled.contains(k)).forEach(map::remove);
      disabled.stream().filter(k -> !map.containsKey(k)).forEach(k -> map.put(k, System.currentTimeMillis()));
    });
  }
}
