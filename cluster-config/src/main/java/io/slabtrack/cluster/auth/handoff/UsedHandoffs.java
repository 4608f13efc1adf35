package io.slabtrack.cluster.auth.handoff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;

/**
 * The jti of every handoff token already used, in a cluster-wide map (Hazelcast, backup-count 1), so a token
 * replayed on another node of the same app is refused too. An entry only needs to outlive the token: its TTL is
 * the token's remaining life plus margin, after which expiry alone refuses the token.
 */
final class UsedHandoffs {
  static final String MAP = "slabtrack.handoff-jti";

  private final Future<AsyncMap<String, Long>> map;

  UsedHandoffs(Vertx vertx) {
    this.map = vertx.sharedData().getClusterWideMap(MAP);
  }

  /** True for the first use of {@code jti} anywhere in the cluster, false for every later one. */
  Future<Boolean> firstUse(String jti, Duration keepFor) {
    return map.compose(m -> m.putIfAbsent(jti, System.currentTimeMillis(), Math.max(1000, keepFor.toMillis())))
        .map(previous -> previous == null);
  }
}
