package io.slabtrack.cluster.salelock;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.ChannelOwners;
import io.slabtrack.cluster.metrics.SaleLockMetrics;
import io.slabtrack.cluster.periodic.PeriodicPass;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns lock expiry into messages, since Hazelcast's expiry events are late and lossy. Every sweep interval each
 * member looks for locks past their expiry in the partitions it owns (no cluster-wide sweeper lock: one held by a
 * frozen or cut-off member stopped every sweep for as long, and expired locks reached the map's eviction unannounced).
 * Such locks stay in the map for a grace period. For each, it tells the holding channel's app ({@code <app>.salelock.expired}, so it can expire its
 * Stripe session or cancel its PaymentIntent) and core ({@code core.salelock.expired}, for the conflict log). Once
 * both have acknowledged, it removes the lock; until then it keeps the lock in the map past the map's own eviction
 * (TTL + grace), so an app that was down longer than the grace is still told. Locks whose claim is on its way to
 * core are extended instead.
 */
public final class SaleLockSweeper extends PeriodicPass {
  private static final Logger LOG = LoggerFactory.getLogger(SaleLockSweeper.class);
  private static final long NOTIFY_TIMEOUT_MS = 5000;
  /** A claim that has waited this long for core is left to the reconciler rather than holding cards forever. */
  private static final long MAX_CLAIM_HOLD_MS = 24L * 3600 * 1000;

  private final SaleLocks locks;

  public SaleLockSweeper(SaleLocks locks) {
    this.locks = locks;
  }

  @Override
  protected long periodMillis() {
    return locks.settings().sweepInterval().toMillis();
  }

  /** Every member sweeps its own partitions on the sweep interval, from the first one on. */
  @Override
  protected boolean spreadFirstPass() {
    return false;
  }

  @Override
  protected Future<?> pass() {
    return sweep();
  }

  @Override
  protected String passName() {
    return "sale-lock sweep";
  }

  /** Expired locks wait for the next pass: worth a warning, unlike the routine skips of other passes. */
  @Override
  protected void failed(Throwable e) {
    LOG.warn("sale-lock sweep failed: {}", e.toString());
  }

  /** One pass; public so tests and operators can trigger it without waiting for the timer. */
  public Future<Void> sweep() {
    Future<Void> inMap = locks.expiredOwnedHere().compose(expired -> {
      List<Future<Void>> work = new ArrayList<>();
      byLockRef(expired).forEach((ref, group) -> work.add(group.get(0).claimPending() ? keepForClaim(group)
          : announce(group).compose(x -> removeAll(group), e -> keepUnannounced(group, false, e))));
      return Future.join(work).mapEmpty();
    });
    Future<Void> replaced = locks.displacedOwnedHere().compose(displaced -> {
      List<Future<Void>> work = new ArrayList<>();
      byLockRef(displaced).forEach((ref, group) -> work.add(announce(group)
          .compose(x -> locks.forgetDisplaced(group), e -> keepUnannounced(group, true, e))));
      return Future.join(work).mapEmpty();
    });
    return Future.join(inMap, replaced).mapEmpty();
  }

  /** Not acknowledged: the locks stay (past the map's own eviction) until a later sweep's notice is. */
  private Future<Void> keepUnannounced(List<SaleLock> group, boolean displaced, Throwable why) {
    return locks.keepUnannounced(group, displaced).transform(ar -> Future.failedFuture(why));
  }

  private static Map<String, List<SaleLock>> byLockRef(List<SaleLock> locks) {
    Map<String, List<SaleLock>> byRef = new LinkedHashMap<>();
    locks.forEach(l -> byRef.computeIfAbsent(l.lockRef(), k -> new ArrayList<>()).add(l));
    return byRef;
  }

  private Future<Void> removeAll(List<SaleLock> group) {
    return Future.all(group.stream().map(locks::removeExpired).toList()).mapEmpty();
  }

  private Future<Void> keepForClaim(List<SaleLock> group) {
    SaleLock first = group.get(0);
    if (locks.clock().millis() - first.acquiredAt().toEpochMilli() > MAX_CLAIM_HOLD_MS) {
      LOG.warn("claim of lockRef for order {} has waited over 24 h for core; leaving its locks to expire",
          first.orderRef());
      return Future.succeededFuture();
    }
    return locks.extendForClaim(first.lockRef()).mapEmpty();
  }

  /** Tells the holder's app and core; succeeds only when both acknowledged. */
  private Future<Void> announce(List<SaleLock> group) {
    SaleLock first = group.get(0);
    JsonArray cardIds = new JsonArray(group.stream().map(SaleLock::cardId).toList());
    JsonObject notice = new JsonObject()
        .put("eventId", UUID.nameUUIDFromBytes(("salelock-expired:" + first.lockRef() + ":"
            + first.expiresAt().toEpochMilli()).getBytes(StandardCharsets.UTF_8)).toString())
        .put("occurredAt", first.expiresAt().toString())
        .put("lockRef", first.lockRef())
        .put("channel", first.channel())
        .put("orderRef", first.orderRef())
        .put("cardIds", cardIds)
        .put("expiredAt", first.expiresAt().toString());
    List<Future<?>> acks = new ArrayList<>();
    ChannelOwners.appOf(first.channel()).ifPresent(app -> acks.add(notify(Addresses.saleLockExpired(app), notice)));
    acks.add(notify(Addresses.CORE_SALELOCK_EXPIRED, notice));
    return Future.all(acks).<Void>mapEmpty().onSuccess(x -> SaleLockMetrics.of(vertx).expired(first.channel()))
        .onSuccess(x -> LOG.info("sale-lock expired: lockRef of order {} on {} (cards {})", first.orderRef(),
        first.channel(), cardIds.encode()));
  }

  private Future<Object> notify(String address, JsonObject notice) {
    // not acknowledged (app down, no handler yet): the lock stays and the next sweep tells it again
    return vertx.eventBus().request(address, notice, new DeliveryOptions().setSendTimeout(NOTIFY_TIMEOUT_MS))
        .map(m -> m.body());
  }
}
