package io.slabtrack.cluster.settlement;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.slabtrack.cluster.salelock.SaleClaim;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code core.sale.release}: a won claim's cards go back to core because the sale can't be completed (the capture
 * failed, the order was cancelled before the answer). Its eventId is derived from the claim, so a reply applied
 * twice (a lease outrun) or a retried transaction enqueues one message and core releases once.
 */
public final class SaleRelease {
  private SaleRelease() {
  }

  public static UUID eventId(String claimId) {
    return UUID.nameUUIDFromBytes(("sale-release:" + claimId).getBytes(StandardCharsets.UTF_8));
  }

  /** In the transaction that records why the sale ends; on the order's aggregate, after its claim. */
  public static Future<Void> enqueue(SqlConnection tx, SaleClaim claim, String reason) {
    JsonObject body = new JsonObject().put("eventId", eventId(claim.claimId()).toString())
        .put("occurredAt", Instant.now().toString()).put("claimId", claim.claimId()).put("channel", claim.channel())
        .put("orderRef", claim.orderRef()).put("cardIds", new JsonArray(List.copyOf(claim.cardIds())))
        .put("reason", reason);
    return Outbox.enqueue(tx, OutboxMessage.of(Addresses.CORE_SALE_RELEASE,
        "order:" + claim.channel() + ":" + claim.orderRef(), body));
  }
}
