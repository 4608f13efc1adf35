package io.slabtrack.cluster.app;

import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.health.KeyFingerprints;
import io.slabtrack.cluster.salelock.SaleLocks;

/** What one JVM holds once, whatever apps it runs: the cluster member, config and JWT keys. */
public record NodeServices(
    ClusterNode cluster,
    NodeConfig config,
    JwtKeys jwtKeys,
    TokenService tokens,
    KeyFingerprints keyFingerprints,
    SaleLocks saleLocks) {
}
