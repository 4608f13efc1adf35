package io.slabtrack.core.claims;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtection;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.hazelcast.HazelcastConfigFactory;
import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only view of the cluster's {@code sale-locks} map (written by the sale-lock feature): key = card id (Long),
 * value = JSON {@code {cardId, channel, lockRef, orderRef?, acquiredAt, expiresAt, …}} (a String or a
 * HazelcastJsonValue: both print as the JSON). An entry whose {@code expiresAt} has passed counts as absent even
 * before Hazelcast evicts it (expiry listeners are late).
 */
public final class SaleLocks {
  public static final String MAP = "sale-locks";
  private static final Logger LOG = LoggerFactory.getLogger(SaleLocks.class);
  private static final long PROTECTION_WAIT_NANOS = 15_000_000_000L;

  private final ClusterNode cluster;
  private volatile boolean judged;

  public SaleLocks(ClusterNode cluster) {
    this.cluster = cluster;
  }

  /**
   * The live locks on these cards, by card id. IMap calls block, so they run on a worker thread. Below the
   * split-brain minimum the map refuses: 503, so a claim is retried rather than decided on a minority's view.
   */
  public Future<Map<Long, JsonObject>> live(Collection<Long> cardIds) {
    if (cardIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return cluster.vertx().<Map<Long, JsonObject>>executeBlocking(() -> {
      awaitJudgement();
      IMap<Long, Object> map = cluster.hazelcast().getMap(MAP);
      Map<Long, Object> raw = map.getAll(new HashSet<>(cardIds));
      Instant now = Instant.now();
      Map<Long, JsonObject> live = new HashMap<>();
      raw.forEach((id, value) -> {
        JsonObject lock = parse(id, value);
        if (isLive(lock, now)) {
          live.put(id, lock);
        }
      });
      return live;
    }, false).recover(t -> t instanceof SplitBrainProtectionException || t.getCause() instanceof SplitBrainProtectionException
        ? Future.failedFuture(ApiErrors.unavailable("below_split_brain_minimum",
            "The cluster is below its minimum size; sale-locks can't be read"))
        : Future.failedFuture(t));
  }

  /**
   * Right after a member starts, Hazelcast has not evaluated split-brain protection yet and refuses map calls;
   * wait for its first judgement (only while enough members are present for it to pass).
   */
  private void awaitJudgement() throws InterruptedException {
    if (judged) {
      return;
    }
    HazelcastInstance hz = cluster.hazelcast();
    String name = HazelcastConfigFactory.SPLIT_BRAIN_PROTECTION;
    SplitBrainProtection protection = hz.getSplitBrainProtectionService().getSplitBrainProtection(name);
    int minimum = hz.getConfig().getSplitBrainProtectionConfig(name).getMinimumClusterSize();
    long deadline = System.nanoTime() + PROTECTION_WAIT_NANOS;
    while (!protection.hasMinimumSize() && hz.getCluster().getMembers().size() >= minimum
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    judged = protection.hasMinimumSize();
  }

  private static JsonObject parse(Long id, Object value) {
    try {
      return new JsonObject(value.toString());
    } catch (RuntimeException e) {
      // an unreadable lock still holds the card: better refuse a sale than sell twice
      LOG.warn("unreadable sale-lock for cardId={}: {}", id, value);
      return new JsonObject().put("cardId", id).put("lockRef", "unreadable").put("expiresAt", Instant.MAX.toString());
    }
  }

  private static boolean isLive(JsonObject lock, Instant now) {
    try {
      return Instant.parse(lock.getString("expiresAt")).isAfter(now);
    } catch (RuntimeException e) {
      return true;
    }
  }
}
