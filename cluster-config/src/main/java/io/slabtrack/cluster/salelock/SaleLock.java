package io.slabtrack.cluster.salelock;

import com.hazelcast.core.HazelcastJsonValue;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One card's lock: who holds it (channel + lockRef), for which order, until when. Stored in the Hazelcast map
 * {@code sale-locks} under the card id (a Long) as JSON, so any member can query it by {@code lockRef} or
 * {@code expiresAtMillis}. {@code claimPending} marks a lock whose order's claim is on its way to core: the
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

  /** The stored shape: the API shape plus the epoch-millis expiry the map's sorted index works on. */
  public HazelcastJsonValue toStored() {
    return new HazelcastJsonValue(toJson().put("expiresAtMillis", expiresAt.toEpochMilli()).encode());
  }

  public static SaleLock fromStored(HazelcastJsonValue stored) {
    return fromJson(new JsonObject(stored.toString()));
  }

  public static SaleLock fromJson(JsonObject j) {
    return new SaleLock(j.getLong("cardId"), j.getString("channel"), j.getString("lockRef"), j.getString("orderRef"),
        Instant.parse(j.getString("acquiredAt")), Instant.parse(j.getString("expiresAt")),
        j.getBoolean("claimPending", false));
  }
}
