package io.slabtrack.cluster.salelock;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The atomic per-card steps of the lock protocol, run by Hazelcast on the partition that owns the card (and
 * replayed on its backup). Every check-then-write is inside one processor, so no other holder can slip in
 * between the check and the write — and every write sets the TTL explicitly, since Hazelcast's replace drops it.
 * They travel between members as IdentifiedDataSerializable (registered by {@link #FACTORY}): Java serialization
 * of the processor and its result cost more than the map operation itself.
 *
 * <p>Type ids are never reused for another shape: a member of an earlier release that receives a shape it does not
 * know fails the call instead of misreading it. Ids 1 (Acquire) and 4 (AcquireOutcome) carried JSON locks until the
 * map's values became {@link StoredLock}s; their new shapes have new ids.
 */
public final class LockProcessors {
  public static final int FACTORY_ID = 0x5354; // "ST"
  private static final int EXTEND = 2;
  private static final int RELEASE = 3;
  private static final int ACQUIRE_EACH = 5;
  private static final int KEEP_UNANNOUNCED = 6;
  static final int STORED_LOCK = 7;
  private static final int ACQUIRE = 8;
  private static final int OUTCOME = 9;
  private static final int RELEASE_ONE = 10;
  private static final int DELETE = 11;

  /** Registered in every member's serialization config (HazelcastConfigFactory). */
  public static final DataSerializableFactory FACTORY = typeId -> switch (typeId) {
    case ACQUIRE -> new Acquire();
    case EXTEND -> new Extend();
    case RELEASE -> new Release();
    case OUTCOME -> new AcquireOutcome();
    case ACQUIRE_EACH -> new AcquireEach();
    case KEEP_UNANNOUNCED -> new KeepUnannounced();
    case STORED_LOCK -> new StoredLock();
    case RELEASE_ONE -> new ReleaseOne();
    case DELETE -> Delete.INSTANCE;
    default -> null;
  };

  private LockProcessors() {
  }

  static boolean heldBy(StoredLock stored, String lockRef) {
    return stored.getLockRef().equals(lockRef);
  }

  /** Past its expiry and not waiting for a claim: what the sweeper may remove (or keep until its notice is told). */
  static boolean expiredUnclaimed(StoredLock stored, long nowMillis) {
    return !stored.isClaimPending() && stored.expiredAt(nowMillis);
  }

  /** Shared plumbing of the serializable classes here. */
  abstract static class Identified implements IdentifiedDataSerializable {
    @Override
    public int getFactoryId() {
      return FACTORY_ID;
    }
  }

  /**
   * What an acquire found: granted or not; the holder now (ours when granted, or null when it is the one the caller
   * asked for; the one in the way when refused); and an expired lock it replaced, whose holder must still be told of
   * the expiry.
   */
  static final class AcquireOutcome extends Identified {
    static final AcquireOutcome GRANTED = new AcquireOutcome(true, null, null);

    private boolean granted;
    private StoredLock holder;
    private StoredLock displaced;

    AcquireOutcome() {
    }

    AcquireOutcome(boolean granted, StoredLock holder, StoredLock displaced) {
      this.granted = granted;
      this.holder = holder;
      this.displaced = displaced;
    }

    boolean granted() {
      return granted;
    }

    StoredLock holder() {
      return holder;
    }

    StoredLock displaced() {
      return displaced;
    }

    @Override
    public int getClassId() {
      return OUTCOME;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeBoolean(granted);
      out.writeObject(holder);
      out.writeObject(displaced);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      granted = in.readBoolean();
      holder = in.readObject();
      displaced = in.readObject();
    }
  }

  static final class Acquire extends Identified
      implements EntryProcessor<Long, Object, AcquireOutcome> {
    private StoredLock stored;
    private long mapTtlMillis;

    Acquire() {
    }

    @Override
    public int getClassId() {
      return ACQUIRE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeObject(stored);
      out.writeLong(mapTtlMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      stored = in.readObject();
      mapTtlMillis = in.readLong();
    }

    Acquire(StoredLock lock, long mapTtlMillis) {
      this.stored = lock;
      this.mapTtlMillis = mapTtlMillis;
    }

    @Override
    public AcquireOutcome process(Map.Entry<Long, Object> entry) {
      return acquire(entry, stored.getLockRef(), stored.getAcquiredAtMillis(), () -> stored, mapTtlMillis);
    }
  }

  /**
   * {@link Acquire} for a batch of cards ({@code submitToKeys}): one processor object for all of them, which writes
   * each lock under the card id of the entry it runs on. (A new type id, so a member of the previous release that
   * receives it fails the call instead of misreading it; single-card acquires still use {@link Acquire}.)
   */
  static final class AcquireEach extends Identified
      implements EntryProcessor<Long, Object, AcquireOutcome> {
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
    public AcquireOutcome process(Map.Entry<Long, Object> entry) {
      return acquire(entry, lockRef, nowMillis, () -> new StoredLock(entry.getKey(), channel, lockRef, orderRef,
          nowMillis, expiresAtMillis, false), mapTtlMillis);
    }
  }

  /** The acquire rule, on the partition owner (and replayed on the backup). */
  private static AcquireOutcome acquire(Map.Entry<Long, Object> entry, String lockRef, long nowMillis,
                                        java.util.function.Supplier<StoredLock> ours, long mapTtlMillis) {
    StoredLock current = StoredLock.of(entry.getValue());
    StoredLock displaced = null;
    if (current != null) {
      if (current.getLockRef().equals(lockRef)) {
        return new AcquireOutcome(true, current, null); // the same checkout again: expiry unchanged
      }
      // a lock whose claim is on its way to core stays until core answers, whatever its expiry says
      if (!current.expiredAt(nowMillis) || current.isClaimPending()) {
        return new AcquireOutcome(false, current, null);
      }
      displaced = current;
    }
    ((ExtendedMapEntry<Long, Object>) entry).setValue(ours.get(), mapTtlMillis, TimeUnit.MILLISECONDS);
    return new AcquireOutcome(true, null, displaced); // the caller knows what it wrote
  }

  /** Moves the expiry of a lock still held by lockRef (and optionally marks its claim pending); false otherwise. */
  static final class Extend extends Identified implements EntryProcessor<Long, Object, Boolean> {
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

    Extend(String lockRef, java.time.Instant newExpiresAt, long mapTtlMillis, boolean markClaimPending,
           java.time.Instant now) {
      this.lockRef = lockRef;
      this.newExpiresAtMillis = newExpiresAt.toEpochMilli();
      this.mapTtlMillis = mapTtlMillis;
      this.markClaimPending = markClaimPending;
      this.nowMillis = now.toEpochMilli();
    }

    @Override
    public Boolean process(Map.Entry<Long, Object> entry) {
      StoredLock current = StoredLock.of(entry.getValue());
      if (current == null) {
        return false;
      }
      // an expired lock is gone for everyone, its former holder included, unless its claim is already under way
      if (!heldBy(current, lockRef) || expiredUnclaimed(current, nowMillis)) {
        return false;
      }
      StoredLock next = new StoredLock(current.getCardId(), current.getChannel(), current.getLockRef(),
          current.getOrderRef(), current.getAcquiredAtMillis(), newExpiresAtMillis,
          current.isClaimPending() || markClaimPending);
      ((ExtendedMapEntry<Long, Object>) entry).setValue(next, mapTtlMillis, TimeUnit.MILLISECONDS);
      return true;
    }
  }

  /** Removes the lock if lockRef holds it (and, with {@code onlyIfExpired}, only if it has expired); else false. */
  static final class Release extends Identified implements EntryProcessor<Long, Object, Boolean> {
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

    Release(String lockRef, boolean onlyIfExpired, java.time.Instant now) {
      this.lockRef = lockRef;
      this.onlyIfExpired = onlyIfExpired;
      this.nowMillis = now.toEpochMilli();
    }

    @Override
    public Boolean process(Map.Entry<Long, Object> entry) {
      StoredLock current = StoredLock.of(entry.getValue());
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
   * {@link Release} of one card by its holder ({@code submitToKey} only), replicated by what it did instead of by
   * running it again: the backups get {@link Delete} when the lock was removed, and nothing at all when it was not
   * (a wrong lockRef, no lock). The owner is the one that checks; its backups hold the same value, so replaying the
   * check there only cost a deserialization per backup. Safe because Hazelcast asks an operation's own processor for
   * its backup processor right after running it on the same partition thread (a local call runs this very instance,
   * a remote one a copy of its own); never give one instance to {@code submitToKeys}, where several partitions share
   * it.
   */
  static final class ReleaseOne extends Identified implements EntryProcessor<Long, Object, Boolean> {
    private String lockRef;
    private transient boolean removed;

    ReleaseOne() {
    }

    ReleaseOne(String lockRef) {
      this.lockRef = lockRef;
    }

    @Override
    public int getClassId() {
      return RELEASE_ONE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(lockRef);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      lockRef = in.readString();
    }

    @Override
    public Boolean process(Map.Entry<Long, Object> entry) {
      StoredLock current = StoredLock.of(entry.getValue());
      removed = current != null && heldBy(current, lockRef);
      if (removed) {
        entry.setValue(null);
      }
      return removed;
    }

    @Override
    public EntryProcessor<Long, Object, Boolean> getBackupProcessor() {
      return removed ? Delete.INSTANCE : null;
    }
  }

  /** The backup side of {@link ReleaseOne}: the owner removed the lock, so the backup does too. */
  static final class Delete extends Identified implements EntryProcessor<Long, Object, Boolean> {
    static final Delete INSTANCE = new Delete();

    @Override
    public int getClassId() {
      return DELETE;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
    }

    @Override
    public void readData(ObjectDataInput in) {
    }

    @Override
    public Boolean process(Map.Entry<Long, Object> entry) {
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
  static final class KeepUnannounced extends Identified implements EntryProcessor<Long, Object, Boolean> {
    private String lockRef;
    private long mapTtlMillis;
    private long nowMillis;

    KeepUnannounced() {
    }

    KeepUnannounced(String lockRef, long mapTtlMillis, java.time.Instant now) {
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
    public Boolean process(Map.Entry<Long, Object> entry) {
      StoredLock current = StoredLock.of(entry.getValue());
      if (current == null || !heldBy(current, lockRef) || !expiredUnclaimed(current, nowMillis)) {
        return false;
      }
      ((ExtendedMapEntry<Long, Object>) entry).setValue(current, mapTtlMillis, TimeUnit.MILLISECONDS);
      return true;
    }
  }
}
