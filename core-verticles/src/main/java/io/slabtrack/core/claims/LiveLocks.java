package io.slabtrack.core.claims;

import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Core's read of the cluster's sale-locks: which cards a checkout holds right now. A lock whose {@code expiresAt}
 * has passed counts as absent even while the map still holds it (the sweeper's grace period). Below the split-brain
 * minimum the shared service refuses (503), so a claim is retried rather than decided on a minority's view.
 */
public final class LiveLocks {
  private final SaleLocks locks;

  public LiveLocks(SaleLocks locks) {
    this.locks = locks;
  }

  /** The live locks on these cards by card id, as the lock API shows them ({@code cardId, channel, lockRef, …}). */
  public Future<Map<Long, JsonObject>> live(Collection<Long> cardIds) {
    if (cardIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return locks.holders(cardIds).map(held -> {
      Instant now = Instant.now();
      Map<Long, JsonObject> live = new TreeMap<>();
      for (SaleLock lock : held.values()) {
        if (!lock.expiredAt(now)) {
          live.put(lock.cardId(), lock.toJson());
        }
      }
      return live;
    });
  }
}
