package io.slabtrack.cluster.salelock;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/**
 * A lock as the {@code sale-locks} map stores it: a small IdentifiedDataSerializable value rather than JSON. Each
 * acquire and release used to encode or parse the JSON several times (the caller's encoding, the {@code lockRef}
 * index reading it on every put and remove); these fields are written and read field by field. The getters are what
 * the map's {@code lockRef} index and the sweeper's {@code expiresAtMillis} predicates read (Hazelcast finds
 * {@code getX()} for attribute {@code x}). Times are epoch milliseconds.
 */
public final class StoredLock implements IdentifiedDataSerializable {
  private long cardId;
  private String channel;
  private String lockRef;
  private String orderRef;
  private long acquiredAtMillis;
  private long expiresAtMillis;
  private boolean claimPending;

  public StoredLock() {
  }

  StoredLock(long cardId, String channel, String lockRef, String orderRef, long acquiredAtMillis,
             long expiresAtMillis, boolean claimPending) {
    this.cardId = cardId;
    this.channel = channel;
    this.lockRef = lockRef;
    this.orderRef = orderRef;
    this.acquiredAtMillis = acquiredAtMillis;
    this.expiresAtMillis = expiresAtMillis;
    this.claimPending = claimPending;
  }

  /**
   * The map's value as a StoredLock. Releases before this one stored each lock as JSON ({@code HazelcastJsonValue},
   * the {@link SaleLock#toJson} shape plus {@code expiresAtMillis}); such a lock, written by an old member during a
   * rolling upgrade, is read as well, so it is decided, extended, released and swept like any other.
   */
  static StoredLock of(Object value) {
    if (value == null || value instanceof StoredLock) {
      return (StoredLock) value;
    }
    if (value instanceof com.hazelcast.core.HazelcastJsonValue json) {
      return SaleLock.fromJson(new io.vertx.core.json.JsonObject(json.toString())).toStored();
    }
    throw new IllegalStateException("not a sale-lock: " + value.getClass().getName());
  }

  public long getCardId() {
    return cardId;
  }

  public String getChannel() {
    return channel;
  }

  public String getLockRef() {
    return lockRef;
  }

  public String getOrderRef() {
    return orderRef;
  }

  public long getAcquiredAtMillis() {
    return acquiredAtMillis;
  }

  public long getExpiresAtMillis() {
    return expiresAtMillis;
  }

  public boolean isClaimPending() {
    return claimPending;
  }

  /** Past its expiry at {@code nowMillis} (the same rule as {@link SaleLock#expiredAt}). */
  boolean expiredAt(long nowMillis) {
    return expiresAtMillis <= nowMillis;
  }

  @Override
  public int getFactoryId() {
    return LockProcessors.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return LockProcessors.STORED_LOCK;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(cardId);
    out.writeString(channel);
    out.writeString(lockRef);
    out.writeString(orderRef);
    out.writeLong(acquiredAtMillis);
    out.writeLong(expiresAtMillis);
    out.writeBoolean(claimPending);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    cardId = in.readLong();
    channel = in.readString();
    lockRef = in.readString();
    orderRef = in.readString();
    acquiredAtMillis = in.readLong();
    expiresAtMillis = in.readLong();
    claimPending = in.readBoolean();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredLock s && cardId == s.cardId && acquiredAtMillis == s.acquiredAtMillis
        && expiresAtMillis == s.expiresAtMillis && claimPending == s.claimPending
        && java.util.Objects.equals(channel, s.channel) && java.util.Objects.equals(lockRef, s.lockRef)
        && java.util.Objects.equals(orderRef, s.orderRef);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(cardId) * 31 + java.util.Objects.hashCode(lockRef);
  }

  @Override
  public String toString() {
    // no lockRef: whoever knows it can release the lock
    return "StoredLock{card " + cardId + ", " + channel + ", order " + orderRef + ", expires " + expiresAtMillis
        + (claimPending ? ", claim pending" : "") + "}";
  }
}
