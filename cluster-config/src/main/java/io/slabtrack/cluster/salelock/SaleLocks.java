package io.slabtrack.cluster.salelock;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.slabtrack.cluster.config.SaleLockSettings;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.metrics.SaleLockMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Cross-channel sale-locks in the distributed Hazelcast map {@code sale-locks}: usable from any node of any app,
 * with no round trip to core, so checkouts keep working while core is down.
 *
 * <p><b>Why the map is not the last word.</b> Hazelcast's map is AP: if the cluster splits, both sides could
 * grant the same card. Split-brain protection ({@code HZ_MIN_MEMBERS}) makes a minority side refuse new locks,
 * which covers the common partitions, and in every normal case the lock keeps two buyers from reaching payment at
 * once. But the lock only decides who may try to pay. Core's all-or-nothing conditional claim, one PostgreSQL
 * transaction over the cards' rows, decides who gets the card, and a satellite captures money only after core
 * says {@code won}. So a lost or doubled lock can cost a buyer a cancelled authorization. It can never sell a card
 * twice.
 *
 * <p>Acquisition takes the cards one by one in ascending id order, each with an atomic entry processor. If a card is
 * held by another lockRef, the ones taken so far are released and nothing stays locked. Because everyone goes in
 * the same order, two overlapping batches cannot both end up blocked on each other: the first to take the
 * lowest shared card goes through. Nobody ever waits on a lock, so there is nothing to deadlock on.
 */
public final class SaleLocks {
  public static final String MAP = "sale-locks";
  /** Expired locks replaced by a new holder before the sweeper saw them: their expiry still has to be told. */
  public static final String DISPLACED_MAP = "sale-locks-displaced";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private volatile IMap<Long, HazelcastJsonValue> map;
  private final SaleLockSettings settings;
  private volatile ForceReleaseListener forceReleaseListener = (lock, operator) -> { };
  private final SaleLockMetrics metrics;

  public SaleLocks(Vertx vertx, HazelcastInstance hazelcast, SaleLockSettings settings) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.settings = settings;
    this.metrics = SaleLockMetrics.of(vertx);
    metrics.held(this::ownedLocks);
  }

  /** Locks in the partitions this member owns: Hazelcast's local statistics, no cluster call (for the gauge). */
  private long ownedLocks() {
    IMap<Long, HazelcastJsonValue> m = map;
    try {
      return m == null ? 0 : m.getLocalMapStats().getOwnedEntryCount();
    } catch (RuntimeException e) {
      return 0; // shutting down, or below the split-brain minimum: nothing to report
    }
  }

  /**
   * Opens the map once the split-brain protection has judged the cluster. Right after a member starts, Hazelcast
   * has not evaluated the protection yet and refuses map operations, which would fail the first checkouts. A
   * member that really is below the minimum (alone in a three-member setup) goes on, and its lock calls say 503.
   */
  public Future<Void> open() {
    return blocking(() -> {
      String name = io.slabtrack.cluster.hazelcast.HazelcastConfigFactory.SPLIT_BRAIN_PROTECTION;
      var protection = hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(name);
      int minimum = hazelcast.getConfig().getSplitBrainProtectionConfig(name).getMinimumClusterSize();
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (!protection.hasMinimumSize() && hazelcast.getCluster().getMembers().size() >= minimum
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      try {
        map();
      } catch (SplitBrainProtectionException belowMinimum) {
        // the map opens on first use once enough members are back; until then lock calls answer 503
      }
      return null;
    });
  }

  private IMap<Long, HazelcastJsonValue> map() {
    IMap<Long, HazelcastJsonValue> m = map;
    if (m == null) {
      m = hazelcast.getMap(MAP);
      map = m;
    }
    return m;
  }

  public void onForceRelease(ForceReleaseListener listener) {
    this.forceReleaseListener = listener;
  }

  public ForceReleaseListener forceReleaseListener() {
    return forceReleaseListener;
  }

  /** One card's lock (if any) and the member owning its partition: for operators and fault tests. */
  public Future<JsonObject> describe(long cardId) {
    return blocking(() -> {
      var owner = hazelcast.getPartitionService().getPartition(cardId).getOwner();
      HazelcastJsonValue stored = map().get(cardId);
      JsonObject view = new JsonObject().put("cardId", cardId)
          .put("partitionOwner", owner == null ? null : owner.getAddress().getHost() + ":"
              + owner.getAddress().getPort());
      if (stored != null) {
        SaleLock lock = SaleLock.fromStored(stored);
        view.put("lock", lock.toJson()).put("live", !lock.expiredAt(Instant.now()) || lock.claimPending());
      } else {
        view.putNull("lock").put("live", false);
      }
      return view;
    });
  }

  public SaleLockSettings settings() {
    return settings;
  }

  /** All or nothing: the locks held, or a 409 listing every conflicting card with its holder and expiry. */
  public Future<List<SaleLock>> acquire(AcquireRequest request) {
    Instant now = Instant.now();
    List<Long> ordered = request.cardIds().stream().sorted().toList();
    List<SaleLock> wanted = ordered.stream().map(id -> new SaleLock(id, request.channel(), request.lockRef(),
        request.orderRef(), now, now.plus(request.ttl()), false)).toList();
    long mapTtl = request.ttl().plus(settings.grace()).toMillis();
    List<SaleLock> held = new ArrayList<>();
    return acquireFrom(wanted, 0, mapTtl, held).compose(conflictAt -> {
      if (conflictAt < 0) {
        metrics.acquired(request.channel());
        return Future.succeededFuture(List.copyOf(held));
      }
      metrics.refused(request.channel());
      return conflictsFrom(ordered.subList(conflictAt, ordered.size()), request.lockRef(), now)
          .compose(conflicts -> release(request.lockRef(), ordered).transform(x -> Future.failedFuture(
              ApiErrors.conflicts("cards_locked", "Some cards are in another checkout; nothing was locked",
                  conflicts))));
    });
  }

  /** @return -1 when every card is held, else the index of the first conflicting card */
  private Future<Integer> acquireFrom(List<SaleLock> wanted, int index, long mapTtl, List<SaleLock> held) {
    if (index == wanted.size()) {
      return Future.succeededFuture(-1);
    }
    SaleLock lock = wanted.get(index);
    return call(() -> map().submitToKey(lock.cardId(), new LockProcessors.Acquire(lock, mapTtl))).compose(outcome -> {
      if (!outcome.granted()) {
        return Future.succeededFuture(index);
      }
      if (outcome.displaced() != null) {
        rememberDisplaced(SaleLock.fromJson(new JsonObject(outcome.displaced())));
      }
      held.add(outcome.holder() == null ? lock : SaleLock.fromJson(new JsonObject(outcome.holder())));
      return acquireFrom(wanted, index + 1, mapTtl, held);
    });
  }

  private Future<JsonArray> conflictsFrom(List<Long> cardIds, String lockRef, Instant now) {
    return holders(cardIds).map(held -> {
      JsonArray conflicts = new JsonArray();
      held.values().stream().filter(l -> !l.lockRef().equals(lockRef) && !l.expiredAt(now))
          .sorted(Comparator.comparingLong(SaleLock::cardId))
          .forEach(l -> conflicts.add(new JsonObject().put("cardId", l.cardId()).put("channel", l.channel())
              .put("reason", "locked").put("expiresAt", l.expiresAt().toString())));
      return conflicts;
    });
  }

  /** Moves every lock of lockRef to now + ttl; 409 when lockRef holds nothing (wrong or expired lockRef). */
  public Future<List<SaleLock>> extend(String lockRef, Duration ttl) {
    return extend(lockRef, ttl, false);
  }

  /** Extends and marks the locks as waiting for core's answer to their claim (the sweeper keeps them alive). */
  public Future<List<SaleLock>> extendForClaim(String lockRef) {
    return extend(lockRef, settings.defaultTtl(), true);
  }

  private Future<List<SaleLock>> extend(String lockRef, Duration ttl, boolean claimPending) {
    AcquireRequest.requireLockRef(lockRef);
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(settings.maxTtl()) > 0) {
      return Future.failedFuture(ApiErrors.invalidField("ttlSeconds",
          "ttlSeconds must be between 1 and " + settings.maxTtl().toSeconds()));
    }
    Instant now = Instant.now();
    return keysOf(lockRef).compose(keys -> {
      if (keys.isEmpty()) {
        return Future.failedFuture(notHeld(lockRef));
      }
      return call(() -> map().submitToKeys(keys, new LockProcessors.Extend(lockRef, now.plus(ttl),
          ttl.plus(settings.grace()).toMillis(), claimPending, now)));
    }).compose(results -> {
      List<Long> extended = results.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
      if (extended.isEmpty()) {
        return Future.failedFuture(notHeld(lockRef));
      }
      return locksOf(lockRef, extended);
    });
  }

  /** Releases every lock of lockRef; 409 when it holds none. */
  public Future<Integer> release(String lockRef) {
    AcquireRequest.requireLockRef(lockRef);
    return keysOf(lockRef).compose(keys -> keys.isEmpty()
        ? Future.failedFuture(notHeld(lockRef))
        : release(lockRef, keys));
  }

  /** Releases lockRef's locks on these cards (the caller knows them: one partition call per card, no query). */
  public Future<Integer> release(String lockRef, Collection<Long> cardIds) {
    // one partition call per card, in parallel (submitToKeys fans out to every partition owner)
    LockProcessors.Release release = new LockProcessors.Release(lockRef, false, Instant.now());
    List<Future<Boolean>> calls = new HashSet<>(cardIds).stream()
        .map(id -> call(() -> map().submitToKey(id, release))).toList();
    return Future.all(calls).map(all -> (int) calls.stream().filter(Future::result).count());
  }

  /** Operator's force release of one card, whoever holds it. */
  public Future<Optional<SaleLock>> forceRelease(long cardId) {
    return holders(List.of(cardId)).compose(held -> {
      SaleLock lock = held.get(cardId);
      if (lock == null) {
        return Future.succeededFuture(Optional.empty());
      }
      return call(() -> map().submitToKey(cardId, new LockProcessors.Release(null, false, Instant.now())))
          .map(removed -> {
            if (removed) {
              metrics.forceReleased(lock.channel());
            }
            return removed ? Optional.of(lock) : Optional.<SaleLock>empty();
          });
    });
  }

  /** Locks present in the map for these cards, expired ones included (callers decide with {@code expiredAt}). */
  public Future<Map<Long, SaleLock>> holders(Collection<Long> cardIds) {
    List<Long> ids = List.copyOf(new HashSet<>(cardIds));
    List<Future<HazelcastJsonValue>> reads = ids.stream().map(id -> call(() -> map().getAsync(id))).toList();
    return Future.all(reads).map(all -> {
      Map<Long, SaleLock> out = new TreeMap<>();
      for (int i = 0; i < ids.size(); i++) {
        HazelcastJsonValue v = reads.get(i).result();
        if (v != null) {
          out.put(ids.get(i), SaleLock.fromStored(v));
        }
      }
      return out;
    });
  }

  private void rememberDisplaced(SaleLock expired) {
    IMap<String, HazelcastJsonValue> displaced = hazelcast.getMap(DISPLACED_MAP);
    call(() -> displaced.setAsync(expired.lockRef() + ":" + expired.cardId(), expired.toStored(),
        settings.grace().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  /** Expired locks that were replaced before the sweeper could announce them. */
  public Future<List<SaleLock>> displaced() {
    IMap<String, HazelcastJsonValue> displaced = hazelcast.getMap(DISPLACED_MAP);
    return blocking(() -> displaced.values().stream().map(SaleLock::fromStored).toList());
  }

  /** Forgets displaced locks once their expiry has been told. */
  public Future<Void> forgetDisplaced(List<SaleLock> told) {
    IMap<String, HazelcastJsonValue> displaced = hazelcast.getMap(DISPLACED_MAP);
    return Future.all(told.stream().map(l -> call(() -> displaced.removeAsync(l.lockRef() + ":" + l.cardId())))
        .toList()).mapEmpty();
  }

  /** Live locks (not expired), for the operator view. */
  public Future<List<SaleLock>> active() {
    long now = System.currentTimeMillis();
    return blocking(() -> map().values(Predicates.greaterThan("expiresAtMillis", now)).stream()
        .map(SaleLock::fromStored).sorted(Comparator.comparingLong(SaleLock::cardId)).toList());
  }

  /** Locks past their expiry that are still in the map (the sweeper's work list). */
  public Future<List<SaleLock>> expired() {
    long now = System.currentTimeMillis();
    return blocking(() -> map().values(Predicates.lessEqual("expiresAtMillis", now)).stream()
        .map(SaleLock::fromStored).sorted(Comparator.comparingLong(SaleLock::cardId)).toList());
  }

  /** Removes an expired lock (unless it was extended or its claim is pending meanwhile): true when removed. */
  public Future<Boolean> removeExpired(SaleLock lock) {
    return call(() -> map().submitToKey(lock.cardId(), new LockProcessors.Release(lock.lockRef(), true,
        Instant.now())));
  }

  public Future<List<SaleLock>> locksOf(String lockRef) {
    return blocking(() -> map().values(Predicates.equal("lockRef", lockRef)).stream().map(SaleLock::fromStored)
        .sorted(Comparator.comparingLong(SaleLock::cardId)).toList());
  }

  private Future<List<SaleLock>> locksOf(String lockRef, List<Long> cardIds) {
    return holders(cardIds).map(held -> held.values().stream().filter(l -> l.lockRef().equals(lockRef)).toList());
  }

  private Future<java.util.Set<Long>> keysOf(String lockRef) {
    return blocking(() -> new HashSet<>(map().keySet(Predicates.equal("lockRef", lockRef))));
  }

  private static ApiException notHeld(String lockRef) {
    return ApiErrors.conflict("lock_not_held", "lockRef holds no live lock (wrong lockRef, released or expired)");
  }

  /**
   * Hazelcast's async operations complete on its threads; hop back to the caller's Vert.x context. Written by
   * hand rather than with {@code Future.fromCompletionStage}: a callback attached without an executor runs on
   * the JDK's default async executor, which on a 2-core machine (common-pool parallelism 1) starts a new thread
   * per callback — measured at ~0.5 ms per lock operation. Completing inline on Hazelcast's response thread and
   * handing over with {@code runOnContext} costs microseconds.
   */
  private <T> Future<T> call(Supplier<CompletionStage<T>> op) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      op.get().whenCompleteAsync((value, error) -> context.runOnContext(x -> {
        if (error != null) {
          promise.fail(error);
        } else {
          promise.complete(value);
        }
      }), Runnable::run);
    } catch (RuntimeException e) {
      return translate(e);
    }
    return promise.future().recover(SaleLocks::translate);
  }

  /** Queries scan partitions and block: run them on a worker. */
  private <T> Future<T> blocking(java.util.concurrent.Callable<T> op) {
    return vertx.executeBlocking(op, false).recover(SaleLocks::translate);
  }

  private static <T> Future<T> translate(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof SplitBrainProtectionException)) {
      t = t.getCause();
    }
    if (t instanceof SplitBrainProtectionException || e instanceof SplitBrainProtectionException) {
      return Future.failedFuture(ApiErrors.unavailable("below_split_brain_minimum",
          "Too few cluster members are reachable to lock cards safely; nothing was locked. Try again shortly."));
    }
    return Future.failedFuture(e);
  }
}
