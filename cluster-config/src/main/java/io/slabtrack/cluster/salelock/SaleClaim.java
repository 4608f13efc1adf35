package io.slabtrack.cluster.salelock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A channel's claim for one order, as core's {@code core.sale.claim} expects it (see EVENT-BUS.md). The event id
 * is derived from the claim id, so enqueueing the same claim twice is one message.
 */
public record SaleClaim(String claimId, String channel, String orderRef, String lockRef, List<Long> cardIds,
                        long amountCents, Instant authExpiresAt) {

  public UUID eventId() {
    return UUID.nameUUIDFromBytes(("sale-claim:" + claimId).getBytes(StandardCharsets.UTF_8));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("eventId", eventId().toString())
        .put("claimId", claimId)
        .put("channel", channel)
        .put("orderRef", orderRef)
        .put("lockRef", lockRef)
        .put("cardIds", new JsonArray(List.copyOf(cardIds)))
        .put("amountCents", amountCents)
        .put("authExpiresAt", authExpiresAt.toString());
  }

  public static SaleClaim fromJson(JsonObject j) {
    return new SaleClaim(j.getString("claimId"), j.getString("channel"), j.getString("orderRef"),
        j.getString("lockRef"), AcquireRequest.longs(j.getJsonArray("cardIds", new JsonArray())),
        j.getLong("amountCents", 0L), Instant.parse(j.getString("authExpiresAt")));
  }
}
