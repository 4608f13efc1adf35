package io.slabtrack.cluster.salelock;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One card's lock: who holds it (channel + lockRef), for which order, until when. Stored in the Hazelcast map
 * {@code sale-locks} under the card id (a Long) as a {@link StoredLock}, which any member can query by
 * {@code lockRef} or {@code expiresAtMillis}; times are kept to the millisecond. {@code claimPending} marks a lock whose order's claim is on its way to core: the
 * sweeper keeps such locks alive instead of expiring them.
 */
public record SaleLock(long cardId, String channel, String lockRef, String orderRef, Instant acquiredAt,
                       Instant expiresAt, boolean claimPending) {

  public boolean expiredAt(Instant now) {
    return !expiresAt.isAfter(now);
  }

  public SaleLock withExpiry(Instant newExpiry) {
    return new SaleLock(cardId, channel, lockRef, orderRef, acquiredAt, newExpiry, claimPending);
  }

  public SaleLock withClaimPending() {
    return new SaleLock(cardId, channel, lockRef, orderRef, acquiredAt, expiresAt, true);
  }

  /** The API shape (ISO times, camelCase). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("cardId", cardId)
        .put("channel", channel)
        .put("lockRef", lockRef)
        .put("orderRef", orderRef)
        .put("acquiredAt", acquiredAt.toString())
        .put("expiresAt", expiresAt.toString())
        .put("claimPending", claimPending);
  }

  /** The stored shape (times in epoch milliseconds). */
  public StoredLock toStored() {
    return new StoredLock(cardId, channel, lockRef, orderRef, acquiredAt.toEpochMilli(), expiresAt.toEpochMilli(),
        claimPending);
  }

  public static SaleLock fromStored(StoredLock s) {
    return new SaleLock(s.getCardId(), s.getChannel(), s.getLockRef(), s.getOrderRef(),
        Instant.ofEpochMilli(s.getAcquiredAtMillis()), Instant.ofEpochMilli(s.getExpiresAtMillis()),
        s.isClaimPending());
  }

  public static SaleLock fromJson(JsonObject j) {
    return new SaleLock(j.getLong("cardId"), j.getString("channel"), j.getString("lockRef"), j.getString("orderRef"),
        Instant.parse(j.getString("acquiredAt")), Instant.parse(j.getString("expiresAt")),
        j.getBoolean("claimPending", false));
  }
}
