package io.slabtrack.cluster.salelock;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.proxy.MapProxyImpl;
import com.hazelcast.query.Predicates;
import com.hazelcast.spi.exception.TargetNotMemberException;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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
 * <p>Acquisition runs one atomic entry processor per card on the member owning the card's partition: one call for
 * a single card, one batch ({@code submitToKeys}) for several, so a checkout costs one round trip per partition
 * owner whatever its size. If a card is held by another lockRef, the ones taken are released and nothing stays
 * locked; the refusal names the holders the processors saw, without another read. Nobody ever waits on a lock, so
 * there is nothing to deadlock on; two overlapping batches racing at the same instant may both be refused (409,
 * retried by their buyers), never both granted.
 *
 * <p><b>Fail fast.</b> Every call is refused at once with 503 {@code cluster_unavailable} (and Retry-After) when
 * this member is below the split-brain minimum or was just paused ({@link ClusterStanding}), and answers 503 when
 * the cluster misses the call's deadline ({@code SALE_LOCK_CALL_TIMEOUT_MS}); a lock granted after its caller was
 * told 503 is released again. Times come from an injectable {@link Clock} (tests move it instead of sleeping).
 */
public final class SaleLocks {
  public static final String MAP = "sale-locks";
  /** Expired locks replaced by a new holder before the sweeper saw them: their expiry still has to be told. */
  public static final String DISPLACED_MAP = "sale-locks-displaced";
  private static final long SCAN_DEADLINE_MS = 10_000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private volatile IMap<Long, Object> map;
  private final SaleLockSettings settings;
  private volatile ForceReleaseListener forceReleaseListener = (lock, operator) -> { };
  private final SaleLockMetrics metrics;
  private final Clock clock;
  private final ClusterStanding standing;
  /** lockRef → the acquire call that missed its deadline and may still be granted late (see {@link #acquire}). */
  private final Map<String, Object> abandoned = new java.util.concurrent.ConcurrentHashMap<>();

  public SaleLocks(Vertx vertx, HazelcastInstance hazelcast, SaleLockSettings settings) {
    this(vertx, hazelcast, settings, Clock.systemUTC());
  }

  /** @param clock what "now" is for expiry decisions (the map's own eviction, TTL + grace later, stays real time) */
  public SaleLocks(Vertx vertx, HazelcastInstance hazelcast, SaleLockSettings settings, Clock clock) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.settings = settings;
    this.clock = clock;
    this.standing = new ClusterStanding(hazelcast);
    this.metrics = SaleLockMetrics.of(vertx);
    metrics.held(this::ownedLocks);
  }

  public Clock clock() {
    return clock;
  }

  /** Locks in the partitions this member owns: Hazelcast's local statistics, no cluster call (for the gauge). */
  private long ownedLocks() {
    IMap<Long, Object> m = map;
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
    // not through blocking(): waiting here is the point, and a member below the minimum still opens
    return vertx.<Void>executeBlocking(() -> {
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
    }, false).onComplete(x -> standing.watch());
  }

  private IMap<Long, Object> map() {
    IMap<Long, Object> m = map;
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
    Instant now = clock.instant();
    return blocking(() -> {
      var owner = hazelcast.getPartitionService().getPartition(cardId).getOwner();
      StoredLock stored = StoredLock.of(map().get(cardId));
      JsonObject view = new JsonObject().put("cardId", cardId)
          .put("partitionOwner", owner == null ? null : owner.getAddress().getHost() + ":"
              + owner.getAddress().getPort());
      if (stored != null) {
        SaleLock lock = SaleLock.fromStored(stored);
        view.put("lock", lock.toJson()).put("live", !lock.expiredAt(now) || lock.claimPending());
      } else {
        view.putNull("lock").put("live", false);
      }
      return view;
    });
  }

  public SaleLockSettings settings() {
    return settings;
  }

  /** "Now" as the map stores times: to the millisecond, so what a call answers is what the map holds. */
  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  /** All or nothing: the locks held, or a 409 listing every conflicting card with its holder and expiry. */
  public Future<List<SaleLock>> acquire(AcquireRequest request) {
    Instant now = now();
    List<Long> ordered = request.cardIds().stream().sorted().toList();
    long mapTtl = request.ttl().plus(settings.grace()).toMillis();
    Future<Map<Long, LockProcessors.AcquireOutcome>> outcomes;
    if (ordered.size() == 1) {
      long cardId = ordered.get(0);
      outcomes = acquireOne(wanted(request, cardId, now), mapTtl).map(outcome -> Map.of(cardId, outcome));
    } else {
      // one processor for every card: each partition writes the lock under its own card id
      SaleLock template = wanted(request, 0, now);
      outcomes = call(() -> map().submitToKeys(Set.copyOf(ordered), new LockProcessors.AcquireEach(template,
          mapTtl)));
    }
    Object call = new Object();
    String lockRef = request.lockRef();
    outcomes.onFailure(e -> abandoned.remove(lockRef, call)); // nothing granted late: nothing to remember
    return bounded(outcomes, () -> abandoned.put(lockRef, call), byCard -> {
      // granted after its caller heard 503: give back what this very call took, unless a retry of the same
      // lockRef has meanwhile been answered with these locks (then they are that retry's)
      if (abandoned.remove(lockRef, call)) {
        List<Long> fresh = byCard.entrySet().stream()
            .filter(e -> e.getValue().granted() && e.getValue().holder() == null).map(Map.Entry::getKey).toList();
        if (!fresh.isEmpty()) {
          release(lockRef, fresh);
        }
      }
    }).compose(byCard -> decide(request, ordered, now, byCard));
  }

  /**
   * One card, the common case, as cheap as the map allows: a plain {@code putIfAbsent} with TTL (no entry
   * processor to ship, run and replay on the backup). Only when a lock is already there is it read: the same
   * checkout again and a live holder need no write; an expired one is replaced by the {@link LockProcessors.Acquire}
   * processor, which checks again atomically on the partition.
   */
  private Future<LockProcessors.AcquireOutcome> acquireOne(SaleLock lock, long mapTtl) {
    IMap<Long, Object> m;
    try {
      m = map();
    } catch (RuntimeException e) {
      return Future.failedFuture(translate(e)); // the map's proxy can't open below the split-brain minimum
    }
    if (!(m instanceof MapProxyImpl<Long, Object> proxy)) {
      return call(() -> map().submitToKey(lock.cardId(), new LockProcessors.Acquire(lock.toStored(), mapTtl)));
    }
    // putIfAbsentAsync with a TTL is on Hazelcast's member-side map proxy, not on the IMap interface
    StoredLock stored = lock.toStored();
    return call(() -> proxy.putIfAbsentAsync(lock.cardId(), stored, mapTtl, TimeUnit.MILLISECONDS))
        .compose(value -> {
          StoredLock existing = StoredLock.of(value);
          if (existing == null) {
            return Future.succeededFuture(LockProcessors.AcquireOutcome.GRANTED);
          }
          if (existing.getLockRef().equals(lock.lockRef())) {
            return Future.succeededFuture(new LockProcessors.AcquireOutcome(true, existing, null));
          }
          if (!existing.expiredAt(stored.getAcquiredAtMillis()) || existing.isClaimPending()) {
            return Future.succeededFuture(new LockProcessors.AcquireOutcome(false, existing, null));
          }
          return call(() -> map().submitToKey(lock.cardId(), new LockProcessors.Acquire(stored, mapTtl)));
        });
  }

  private static SaleLock wanted(AcquireRequest request, long cardId, Instant now) {
    return new SaleLock(cardId, request.channel(), request.lockRef(), request.orderRef(), now,
        now.plus(request.ttl()), false);
  }

  private Future<List<SaleLock>> decide(AcquireRequest request, List<Long> ordered, Instant now,
                                        Map<Long, LockProcessors.AcquireOutcome> byCard) {
    List<SaleLock> held = new ArrayList<>(ordered.size());
    JsonArray conflicts = new JsonArray();
    for (long cardId : ordered) {
      LockProcessors.AcquireOutcome outcome = byCard.get(cardId);
      if (outcome.granted()) {
        if (outcome.displaced() != null) {
          rememberDisplaced(SaleLock.fromStored(outcome.displaced()));
        }
        held.add(outcome.holder() == null ? wanted(request, cardId, now) : SaleLock.fromStored(outcome.holder()));
      } else {
        SaleLock other = SaleLock.fromStored(outcome.holder());
        conflicts.add(new JsonObject().put("cardId", cardId).put("channel", other.channel())
            .put("reason", "locked").put("expiresAt", other.expiresAt().toString()));
      }
    }
    if (conflicts.isEmpty()) {
      if (!abandoned.isEmpty()) {
        abandoned.remove(request.lockRef()); // an earlier call of this lockRef that timed out must not release these
      }
      metrics.acquired(request.channel());
      return Future.succeededFuture(held);
    }
    metrics.refused(request.channel());
    List<Long> taken = held.stream().map(SaleLock::cardId).toList();
    Future<Integer> undo = taken.isEmpty() ? Future.succeededFuture(0) : release(request.lockRef(), taken);
    return undo.transform(x -> Future.failedFuture(ApiErrors.conflicts("cards_locked",
        "Some cards are in another checkout; nothing was locked", conflicts)));
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
    Instant now = now();
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

  /** Releases lockRef's locks on these cards (the caller knows them: no query, one call per partition owner). */
  public Future<Integer> release(String lockRef, Collection<Long> cardIds) {
    if (cardIds.size() == 1) {
      Long cardId = cardIds.iterator().next();
      LockProcessors.ReleaseOne one = new LockProcessors.ReleaseOne(lockRef); // one instance per call: see its doc
      return bounded(call(() -> map().submitToKey(cardId, one)), null).map(removed -> removed ? 1 : 0);
    }
    LockProcessors.Release release = new LockProcessors.Release(lockRef, false, clock.instant());
    return bounded(call(() -> map().submitToKeys(Set.copyOf(cardIds), release)), null)
        .map(results -> (int) results.values().stream().filter(Boolean::booleanValue).count());
  }

  /** Operator's force release of one card, whoever holds it. */
  public Future<Optional<SaleLock>> forceRelease(long cardId) {
    return holders(List.of(cardId)).compose(held -> {
      SaleLock lock = held.get(cardId);
      if (lock == null) {
        return Future.succeededFuture(Optional.empty());
      }
      return call(() -> map().submitToKey(cardId, new LockProcessors.Release(null, false, clock.instant())))
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
    List<Future<Object>> reads = ids.stream().map(id -> call(() -> map().getAsync(id))).toList();
    return bounded(Future.all(reads), null).map(all -> {
      Map<Long, SaleLock> out = new TreeMap<>();
      for (int i = 0; i < ids.size(); i++) {
        StoredLock v = StoredLock.of(reads.get(i).result());
        if (v != null) {
          out.put(ids.get(i), SaleLock.fromStored(v));
        }
      }
      return out;
    });
  }

  private void rememberDisplaced(SaleLock expired) {
    IMap<String, Object> displaced = hazelcast.getMap(DISPLACED_MAP);
    call(() -> displaced.setAsync(expired.lockRef() + ":" + expired.cardId(), expired.toStored(),
        settings.grace().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  /**
   * Keeps expired locks whose expiry notice was not acknowledged (the channel's app or core down) for another grace
   * period, in the lock map and among the displaced ones, so the next sweep tells them again instead of the map's
   * eviction forgetting them: an order nobody told would stay pending for good.
   */
  public Future<Void> keepUnannounced(List<SaleLock> group, boolean displacedLocks) {
    long graceMillis = settings.grace().toMillis();
    if (displacedLocks) {
      IMap<String, Object> displaced = hazelcast.getMap(DISPLACED_MAP);
      return Future.all(group.stream().map(l -> call(() -> displaced.setAsync(l.lockRef() + ":" + l.cardId(),
          l.toStored(), graceMillis, java.util.concurrent.TimeUnit.MILLISECONDS))).toList()).mapEmpty();
    }
    Instant now = clock.instant();
    return Future.all(group.stream().map(l -> call(() -> map().submitToKey(l.cardId(),
        new LockProcessors.KeepUnannounced(l.lockRef(), graceMillis, now)))).toList()).mapEmpty();
  }

  /** Forgets displaced locks once their expiry has been told. */
  public Future<Void> forgetDisplaced(List<SaleLock> told) {
    IMap<String, Object> displaced = hazelcast.getMap(DISPLACED_MAP);
    return Future.all(told.stream().map(l -> call(() -> displaced.removeAsync(l.lockRef() + ":" + l.cardId())))
        .toList()).mapEmpty();
  }

  /** Live locks (not expired), for the operator view. */
  public Future<List<SaleLock>> active() {
    long now = clock.millis();
    return scan(() -> map().values(Predicates.greaterThan("expiresAtMillis", now)).stream()
        .map(StoredLock::of).map(SaleLock::fromStored).sorted(Comparator.comparingLong(SaleLock::cardId)).toList());
  }

  /** Locks past their expiry that are still in the map (the sweeper's work list). */
  public Future<List<SaleLock>> expired() {
    long now = clock.millis();
    return scan(() -> map().values(Predicates.lessEqual("expiresAtMillis", now)).stream()
        .map(StoredLock::of).map(SaleLock::fromStored).sorted(Comparator.comparingLong(SaleLock::cardId)).toList());
  }

  /**
   * Expired locks in the partitions this member owns: the sweeper's work list. Each member sweeps its own partitions
   * (a partition that moves is swept by its new owner), so no cluster-wide sweeper lock can be left held by a frozen
   * or cut-off member, and no scan waits on another member.
   */
  public Future<List<SaleLock>> expiredOwnedHere() {
    long now = clock.millis();
    return scan(() -> ownedHere(map(), Predicates.lessEqual("expiresAtMillis", now)));
  }

  /** Expired locks replaced before they were announced, among the entries this member owns. */
  public Future<List<SaleLock>> displacedOwnedHere() {
    IMap<String, Object> displaced = hazelcast.getMap(DISPLACED_MAP);
    return scan(() -> ownedHere(displaced, Predicates.alwaysTrue()));
  }

  private static <K> List<SaleLock> ownedHere(IMap<K, Object> m,
                                              com.hazelcast.query.Predicate<K, Object> which) {
    Set<K> keys = m.localKeySet(which);
    if (keys.isEmpty()) {
      return List.of();
    }
    return m.getAll(keys).values().stream().map(StoredLock::of).map(SaleLock::fromStored)
        .sorted(Comparator.comparingLong(SaleLock::cardId)).toList();
  }

  /** Removes an expired lock (unless it was extended or its claim is pending meanwhile): true when removed. */
  public Future<Boolean> removeExpired(SaleLock lock) {
    return call(() -> map().submitToKey(lock.cardId(), new LockProcessors.Release(lock.lockRef(), true,
        clock.instant())));
  }

  public Future<List<SaleLock>> locksOf(String lockRef) {
    return blocking(() -> map().values(Predicates.equal("lockRef", lockRef)).stream().map(StoredLock::of).map(SaleLock::fromStored)
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
   * Answers 503 {@code cluster_unavailable} when the cluster has not answered by the call deadline. A call may
   * still succeed after that (the member came back): {@code lateSuccess} undoes what the caller was told did not
   * happen (a lock granted after a 503 is released, so the card is not held for the lock's TTL by nobody).
   */
  private <T> Future<T> bounded(Future<T> call, java.util.function.Consumer<T> lateSuccess) {
    return bounded(call, () -> { }, lateSuccess);
  }

  private <T> Future<T> bounded(Future<T> call, Runnable onDeadline, java.util.function.Consumer<T> lateSuccess) {
    if (call.isComplete()) {
      return call;
    }
    Promise<T> answer = Promise.promise();
    long timer = vertx.setTimer(settings.callDeadline().toMillis(), id -> {
      onDeadline.run();
      answer.tryFail(ClusterStanding.deadlineMissed());
    });
    call.onComplete(ar -> {
      vertx.cancelTimer(timer);
      boolean inTime = ar.succeeded() ? answer.tryComplete(ar.result()) : answer.tryFail(ar.cause());
      if (!inTime && ar.succeeded() && lateSuccess != null) {
        lateSuccess.accept(ar.result());
      }
    });
    return answer.future();
  }

  /**
   * Hazelcast's async operations complete on its threads; hop back to the caller's Vert.x context. Written by
   * hand rather than with {@code Future.fromCompletionStage}: a callback attached without an executor runs on
   * the JDK's default async executor, which on a 2-core machine (common-pool parallelism 1) starts a new thread
   * per callback — measured at ~0.5 ms per lock operation. Completing inline on Hazelcast's response thread and
   * handing over with {@code runOnContext} costs microseconds. A member below the split-brain minimum or just back
   * from a pause refuses before anything is sent.
   */
  private <T> Future<T> call(Supplier<CompletionStage<T>> op) {
    Optional<ApiException> refused = standing.refusal();
    if (refused.isPresent()) {
      return Future.failedFuture(refused.get());
    }
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      op.get().whenCompleteAsync((value, error) -> context.runOnContext(x -> {
        if (error != null) {
          promise.fail(translate(error));
        } else {
          promise.complete(value);
        }
      }), Runnable::run);
    } catch (RuntimeException e) {
      return Future.failedFuture(translate(e));
    }
    return promise.future();
  }

  /** Queries scan partitions and block: run them on a worker, within the call deadline. */
  /**
   * The operator list and the sweeper's work lists read every lock (no index on the expiry): bounded too, but by
   * {@value #SCAN_DEADLINE_MS} ms rather than a checkout's deadline, so a large map is still swept.
   */
  private <T> Future<T> scan(java.util.concurrent.Callable<T> op) {
    Optional<ApiException> refused = standing.refusal();
    if (refused.isPresent()) {
      return Future.failedFuture(refused.get());
    }
    Promise<T> answer = Promise.promise();
    long timer = vertx.setTimer(SCAN_DEADLINE_MS, id -> answer.tryFail(ClusterStanding.deadlineMissed()));
    vertx.executeBlocking(op, false).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        answer.tryComplete(ar.result());
      } else {
        answer.tryFail(translate(ar.cause()));
      }
    });
    return answer.future();
  }

  private <T> Future<T> blocking(java.util.concurrent.Callable<T> op) {
    Optional<ApiException> refused = standing.refusal();
    if (refused.isPresent()) {
      return Future.failedFuture(refused.get());
    }
    return bounded(vertx.executeBlocking(op, false).recover(e -> Future.failedFuture(translate(e))), null);
  }

  /** What Hazelcast throws when this member can't reach the data safely, as the API's 503. */
  private static Throwable translate(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SplitBrainProtectionException) {
        return ClusterStanding.belowMinimum();
      }
      if (t instanceof OperationTimeoutException || t instanceof MemberLeftException
          || t instanceof TargetNotMemberException || t instanceof HazelcastInstanceNotActiveException) {
        return ClusterStanding.unavailable("member_unreachable", "A cluster member holding these locks did not "
            + "answer; nothing was locked. Try again shortly.");
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return e;
  }
}
