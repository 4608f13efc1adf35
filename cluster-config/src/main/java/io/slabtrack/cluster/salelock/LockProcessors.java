package io.slabtrack.cluster.salelock;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The atomic per-card steps of the lock protocol, run by Hazelcast on the partition that owns the card (and
 * replayed on its backup). Every check-then-write is inside one processor, so no other holder can slip in
 * between the check and the write — and every write sets the TTL explicitly, since Hazelcast's replace drops it.
 * They travel between members as IdentifiedDataSerializable (registered by {@link #FACTORY}): Java serialization
 * of the processor and its result cost more than the map operation itself.
 */
public final class LockProcessors {
  public static final int FACTORY_ID = 0x5354; // "ST"
  private static final int ACQUIRE = 1;
  private static final int EXTEND = 2;
  private static final int RELEASE = 3;
  private static final int OUTCOME = 4;
  private static final int ACQUIRE_EACH = 5;
  private static final int KEEP_UNANNOUNCED = 6;

  /** Registered in every member's serialization config (HazelcastConfigFactory). */
  public static final DataSerializableFactory FACTORY = typeId -> switch (typeId) {
    case ACQUIRE -> new Acquire();
    case EXTEND -> new Extend();
    case RELEASE -> new Release();
    case OUTCOME -> new AcquireOutcome();
    case ACQUIRE_EACH -> new AcquireEach();
    case KEEP_UNANNOUNCED -> new KeepUnannounced();
    default -> null;
  };

  private LockProcessors() {
  }

  /**
   * Whether the stored lock belongs to lockRef, without parsing it (release is half of every checkout's lock
   * traffic and runs on the owner and the backup). Exact: we write the JSON ourselves with one {@code lockRef}
   * key, a lockRef is only [A-Za-z0-9_-], and a quote inside any other value is escaped, so the unescaped
   * sequence below can only be that key with that value.
   */
  static boolean heldBy(HazelcastJsonValue stored, String lockRef) {
    return stored.toString().contains("\"lockRef\":\"" + lockRef + "\"");
  }

  /** Past its expiry and not waiting for a claim: what the sweeper may remove (or keep until its notice is told). */
  static boolean expiredUnclaimed(HazelcastJsonValue stored, long nowMillis) {
    SaleLock held = SaleLock.fromStored(stored);
    return !held.claimPending() && held.expiredAt(Instant.ofEpochMilli(nowMillis));
  }

  /** Shared plumbing of the serializable classes here. */
  abstract static class Identified implements IdentifiedDataSerializable {
    @Override
    public int getFactoryId() {
      return FACTORY_ID;
    }
  }

  /**
   * What an acquire found: granted or not; the holder now (JSON: ours when granted, the one in the way when
   * refused); and an expired lock it replaced (JSON), whose holder must still be told of the expiry.
   */
  static final class AcquireOutcome extends Identified {
    static final AcquireOutcome GRANTED = new AcquireOutcome(true, null, null);

    private boolean granted;
    private String holder;
    private String displaced;

    AcquireOutcome() {
    }

    AcquireOutcome(boolean granted, String holder, String displaced) {
      this.granted = granted;
      this.holder = holder;
      this.displaced = displaced;
    }

    boolean granted() {
      return granted;
    }

    String holder() {
      return holder;
    }

    String displaced() {
      return displaced;
    }

    @Override
    public int getClassId() {
      return OUTCOME;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeBoolean(granted);
      out.writeString(holder);
      out.writeString(displaced);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      granted = in.readBoolean();
      holder = in.readString();
      displaced = in.readString();
    }
  }

  static final class Acquire extends Identified
      implements EntryProcessor<Long, HazelcastJsonValue, AcquireOutcome> {
    private String stored;
    private String lockRef;
    private long nowMillis;
    private long mapTtlMillis;

    Acquire() {
    }

    @Override
    public int getClassId() {
      return ACQUIRE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(stored);
      out.writeString(lockRef);
      out.writeLong(nowMillis);
      out.writeLong(mapTtlMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      stored = in.readString();
      lockRef = in.readString();
      nowMillis = in.readLong();
      mapTtlMillis = in.readLong();
    }

    Acquire(SaleLock lock, long mapTtlMillis) {
      this.stored = lock.toStored().toString();
      this.lockRef = lock.lockRef();
      this.nowMillis = lock.acquiredAt().toEpochMilli();
      this.mapTtlMillis = mapTtlMillis;
    }

    @Override
    public AcquireOutcome process(Map.Entry<Long, HazelcastJsonValue> entry) {
      return acquire(entry, lockRef, nowMillis, () -> new HazelcastJsonValue(stored), mapTtlMillis);
    }
  }

  /**
   * {@link Acquire} for a batch of cards ({@code submitToKeys}): one processor object for all of them, which writes
   * each lock under the card id of the entry it runs on. (A new type id, so a member of the previous release that
   * receives it fails the call instead of misreading it; single-card acquires still use {@link Acquire}.)
   */
  static final class AcquireEach extends Identified
      implements EntryProcessor<Long, HazelcastJsonValue, AcquireOutcome> {
    private String channel;
    private String lockRef;
    private String orderRef;
    private long nowMillis;
    private long expiresAtMillis;
    private long mapTtlMillis;

    AcquireEach() {
    }

    AcquireEach(SaleLock template, long mapTtlMillis) {
      this.channel = template.channel();
      this.lockRef = template.lockRef();
      this.orderRef = template.orderRef();
      this.nowMillis = template.acquiredAt().toEpochMilli();
      this.expiresAtMillis = template.expiresAt().toEpochMilli();
      this.mapTtlMillis = mapTtlMillis;
    }

    @Override
    public int getClassId() {
      return ACQUIRE_EACH;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(channel);
      out.writeString(lockRef);
      out.writeString(orderRef);
      out.writeLong(nowMillis);
      out.writeLong(expiresAtMillis);
      out.writeLong(mapTtlMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      channel = in.readString();
      lockRef = in.readString();
      orderRef = in.readString();
      nowMillis = in.readLong();
      expiresAtMillis = in.readLong();
      mapTtlMillis = in.readLong();
    }

    @Override
    public AcquireOutcome process(Map.Entry<Long, HazelcastJsonValue> entry) {
      return acquire(entry, lockRef, nowMillis, () -> new SaleLock(entry.getKey(), channel, lockRef, orderRef,
          Instant.ofEpochMilli(nowMillis), Instant.ofEpochMilli(expiresAtMillis), false).toStored(), mapTtlMillis);
    }
  }

  /** The acquire rule, on the partition owner (and replayed on the backup). */
  private static AcquireOutcome acquire(Map.Entry<Long, HazelcastJsonValue> entry, String lockRef, long nowMillis,
                                        java.util.function.Supplier<HazelcastJsonValue> ours, long mapTtlMillis) {
    HazelcastJsonValue current = entry.getValue();
    String displaced = null;
    if (current != null) {
      SaleLock held = SaleLock.fromStored(current);
      if (held.lockRef().equals(lockRef)) {
        return new AcquireOutcome(true, current.toString(), null); // the same checkout again: expiry unchanged
      }
      // a lock whose claim is on its way to core stays until core answers, whatever its expiry says
      if (!held.expiredAt(Instant.ofEpochMilli(nowMillis)) || held.claimPending()) {
        return new AcquireOutcome(false, current.toString(), null);
      }
      displaced = current.toString();
    }
    ((ExtendedMapEntry<Long, HazelcastJsonValue>) entry).setValue(ours.get(), mapTtlMillis, TimeUnit.MILLISECONDS);
    return new AcquireOutcome(true, null, displaced); // the caller knows what it wrote
  }

  /** Moves the expiry of a lock still held by lockRef (and optionally marks its claim pending); false otherwise. */
  static final class Extend extends Identified implements EntryProcessor<Long, HazelcastJsonValue, Boolean> {
    private String lockRef;
    private long newExpiresAtMillis;
    private long mapTtlMillis;
    private boolean markClaimPending;
    private long nowMillis;

    Extend() {
    }

    @Override
    public int getClassId() {
      return EXTEND;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(lockRef);
      out.writeLong(newExpiresAtMillis);
      out.writeLong(mapTtlMillis);
      out.writeBoolean(markClaimPending);
      out.writeLong(nowMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      lockRef = in.readString();
      newExpiresAtMillis = in.readLong();
      mapTtlMillis = in.readLong();
      markClaimPending = in.readBoolean();
      nowMillis = in.readLong();
    }

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
  static final class Release extends Identified implements EntryProcessor<Long, HazelcastJsonValue, Boolean> {
    private String lockRef;
    private boolean onlyIfExpired;
    private long nowMillis;

    Release() {
    }

    @Override
    public int getClassId() {
      return RELEASE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(lockRef);
      out.writeBoolean(onlyIfExpired);
      out.writeLong(nowMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      lockRef = in.readString();
      onlyIfExpired = in.readBoolean();
      nowMillis = in.readLong();
    }

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
      if (lockRef != null && !heldBy(current, lockRef)) {
        return false;
      }
      if (onlyIfExpired && !expiredUnclaimed(current, nowMillis)) {
        return false;
      }
      entry.setValue(null);
      return true;
    }
  }

  /**
   * Keeps an expired lock of lockRef in the map for another {@code mapTtlMillis}, value unchanged, because nobody has
   * acknowledged its expiry notice yet: without it the map's own eviction (TTL + grace) would drop the lock, and with it
   * the only record that a channel's order must be told its cards are gone. Does nothing to a lock another lockRef
   * took meanwhile, nor to a live or claim-pending one (their TTL is the holder's business).
   */
  static final class KeepUnannounced extends Identified implements EntryProcessor<Long, HazelcastJsonValue, Boolean> {
    private String lockRef;
    private long mapTtlMillis;
    private long nowMillis;

    KeepUnannounced() {
    }

    KeepUnannounced(String lockRef, long mapTtlMillis, Instant now) {
      this.lockRef = lockRef;
      this.mapTtlMillis = mapTtlMillis;
      this.nowMillis = now.toEpochMilli();
    }

    @Override
    public int getClassId() {
      return KEEP_UNANNOUNCED;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(lockRef);
      out.writeLong(mapTtlMillis);
      out.writeLong(nowMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      lockRef = in.readString();
      mapTtlMillis = in.readLong();
      nowMillis = in.readLong();
    }

    @Override
    public Boolean process(Map.Entry<Long, HazelcastJsonValue> entry) {
      HazelcastJsonValue current = entry.getValue();
      if (current == null || !heldBy(current, lockRef) || !expiredUnclaimed(current, nowMillis)) {
        return false;
      }
      ((ExtendedMapEntry<Long, HazelcastJsonValue>) entry).setValue(current, mapTtlMillis, TimeUnit.MILLISECONDS);
      return true;
    }
  }
}
