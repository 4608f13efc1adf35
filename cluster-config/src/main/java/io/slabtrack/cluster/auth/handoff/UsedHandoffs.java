package io.slabtrack.cluster.auth.handoff;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jti of every handoff token already used, in a cluster-wide map (Hazelcast, backup-count 1), so a token
 * replayed on another node of the same app is refused too. An entry only needs to outlive the token: its TTL is
 * the token's remaining life plus margin, after which expiry alone refuses the token. The map is under the
 * split-brain minimum: when it cannot answer (minority side, cluster trouble) the handoff is refused with 503,
 * never let through unrecorded.
 */
final class UsedHandoffs {
  static final String MAP = "slabtrack.handoff-jti";
  private static final Logger LOG = LoggerFactory.getLogger(UsedHandoffs.class);

  private final Future<AsyncMap<String, Long>> map;

  UsedHandoffs(Vertx vertx) {
    this.map = vertx.sharedData().getClusterWideMap(MAP);
  }

  /** True for the first use of {@code jti} anywhere in the cluster, false for every later one. */
  Future<Boolean> firstUse(String jti, Duration keepFor) {
    return map.compose(m -> m.putIfAbsent(jti, System.currentTimeMillis(), Math.max(1000, keepFor.toMillis())))
        .map(previous -> previous == null)
        .recover(e -> {
          LOG.warn("handoff jti store unavailable, refusing jti={}: {}", jti, e.toString());
          return Future.failedFuture(ApiErrors.unavailable("handoff_unavailable",
              "Sign-in handoff is unavailable right now; try again shortly"));
        });
  }
}
