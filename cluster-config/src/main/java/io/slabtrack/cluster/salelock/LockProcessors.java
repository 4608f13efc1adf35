package io.slabtrack.cluster.salelock;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The atomic per-card steps of the lock protocol, run by Hazelcast on the partition that owns the card (and
 * replayed on its backup). Every check-then-write is inside one processor, so no other holder can slip in
 * between the check and the write — and every write sets the TTL explicitly, since Hazelcast's replace drops it.
 * These classes travel between members by Java serialization: every member runs the same jar.
 */
final class LockProcessors {
  private LockProcessors() {
  }

  /**
   * What an acquire found: granted or not; the live holder in the way (JSON) when refused; and an expired lock it
   * replaced (JSON), whose holder must still be told of the expiry.
   */
  record AcquireOutcome(boolean granted, String holder, String displaced) implements java.io.Serializable {
  }

  static final class Acquire implements EntryProcessor<Long, HazelcastJsonValue, AcquireOutcome> {
    private static final long serialVersionUID = 1L;
    private final String stored;
    private final String lockRef;
    private final long nowMillis;
    private final long mapTtlMillis;

    Acquire(SaleLock lock, long mapTtlMillis) {
      this.stored = lock.toStored().toString();
      this.lockRef = lock.lockRef();
      this.nowMillis = lock.acquiredAt().toEpochMilli();
      this.mapTtlMillis = mapTtlMillis;
    }

    @Override
    public AcquireOutcome process(Map.Entry<Long, HazelcastJsonValue> entry) {
      HazelcastJsonValue current = entry.getValue();
      String displaced = null;
      if (current != null) {
        SaleLock held = SaleLock.fromStored(current);
        if (held.lockRef().equals(lockRef)) {
          return new AcquireOutcome(true, null, null); // the same checkout again: idempotent, expiry unchanged
        }
        // a lock whose claim is on its way to core stays until core answers, whatever its expiry says
        if (!held.expiredAt(Instant.ofEpochMilli(nowMillis)) || held.claimPending()) {
          return new AcquireOutcome(false, current.toString(), null);
        }
        displaced = current.toString();
      }
      ((ExtendedMapEntry<Long, HazelcastJsonValue>) entry)
          .setValue(new HazelcastJsonValue(stored), mapTtlMillis, TimeUnit.MILLISECONDS);
      return new AcquireOutcome(true, null, displaced);
    }
  }

  /** Moves the expiry of a lock still held by lockRef (and optionally marks its claim pending); false otherwise. */
  static final class Extend implements EntryProcessor<Long, HazelcastJsonValue, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String lockRef;
    private final long newExpiresAtMillis;
    private final long mapTtlMillis;
    private final boolean markClaimPending;
    private final long nowMillis;

    Extend(String lockRef, Instant newExpiresAt, long mapTtlMillis, boolean markClaimPending, Instant now) {
      this.lockRef = lockRef;
      this.newExpiresAtMillis = newExpiresAt.toEpochMilli();
      this.mapTtlMillis = mapTtlMillis;
      this.markClaimPending = markClaimPending;
      this.nowMillis = now.toEpochMilli();
    }

    @Override
    public Boolean process(Map.Entry<Long, HazelcastJsonValue> entry) {
      HazelcastJsonValue current = entry.getValue();
      if (current == null) {
        return false;
      }
      SaleLock held = SaleLock.fromStored(current);
      // an expired lock is gone for everyone, its former holder included, unless its claim is already under way
      boolean expired = held.expiredAt(Instant.ofEpochMilli(nowMillis)) && !held.claimPending();
      if (!held.lockRef().equals(lockRef) || expired) {
        return false;
      }
      SaleLock next = held.withExpiry(Instant.ofEpochMilli(newExpiresAtMillis));
      if (markClaimPending) {
        next = next.withClaimPending();
      }
      ((ExtendedMapEntry<Long, HazelcastJsonValue>) entry)
          .setValue(next.toStored(), mapTtlMillis, TimeUnit.MILLISECONDS);
      return true;
    }
  }

  /** Removes the lock if lockRef holds it (and, with {@code onlyIfExpired}, only if it has expired); else false. */
  static final class Release implements EntryProcessor<Long, HazelcastJsonValue, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String lockRef;
    private final boolean onlyIfExpired;
    private final long nowMillis;

    Release(String lockRef, boolean onlyIfExpired, Instant now) {
      this.lockRef = lockRef;
      this.onlyIfExpired = onlyIfExpired;
      this.nowMillis = now.toEpochMilli();
    }

    @Override
    public Boolean process(Map.Entry<Long, HazelcastJsonValue> entry) {
      HazelcastJsonValue current = entry.getValue();
      if (current == null) {
        return false;
      }
      SaleLock held = SaleLock.fromStored(current);
      if (lockRef != null && !held.lockRef().equals(lockRef)) {
        return false;
      }
      if (onlyIfExpired && (held.claimPending() || !held.expiredAt(Instant.ofEpochMilli(nowMillis)))) {
        return false;
      }
      entry.setValue(null);
      return true;
    }
  }
}
