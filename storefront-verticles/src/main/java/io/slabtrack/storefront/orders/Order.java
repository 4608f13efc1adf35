package io.slabtrack.storefront.orders;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** One order row. */
public record Order(String id, String shop, String state, String email, JsonObject shippingAddress, List<Long> cardIds,
                    long amountCents, long applicationFeeCents, String lockRef, String claimId, String sessionId,
                    String checkoutUrl, String paymentIntentId, String chargeId, long capturedCents,
                    long refundedCents, String cancelReason, String lastPaymentError, JsonObject dispute,
                    JsonObject shipment, String deliveredAt, String buyerToken, String createdAt, String updatedAt) {

  static Order of(Row r) {
    Long[] ids = r.getArrayOfLongs("card_ids");
    return new Order(r.getString("id"), r.getString("shop_slug"), r.getString("state"), r.getString("email"),
        (JsonObject) r.getValue("shipping_address"), Arrays.asList(ids), r.getLong("amount_cents"),
        r.getLong("application_fee_cents"), r.getString("lock_ref"), r.getString("claim_id"),
        r.getString("checkout_session_id"), r.getString("checkout_url"), r.getString("payment_intent_id"),
        r.getString("charge_id"), r.getLong("captured_cents"), r.getLong("refunded_cents"),
        r.getString("cancel_reason"), r.getString("last_payment_error"), (JsonObject) r.getValue("dispute"),
        (JsonObject) r.getValue("shipment"), iso(r.getOffsetDateTime("delivered_at")), r.getString("buyer_token"),
        iso(r.getOffsetDateTime("created_at")), iso(r.getOffsetDateTime("updated_at")));
  }

  private static String iso(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  /** The buyer's private links carry this token; compared in constant time so it can't be guessed byte by byte. */
  public boolean buyerTokenIs(String token) {
    return token != null && MessageDigest.isEqual(buyerToken.getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }

  /** The same order as it is now in another state (a re-read of the state only). */
  public Order withState(String now) {
    return new Order(id, shop, now, email, shippingAddress, cardIds, amountCents, applicationFeeCents, lockRef, claimId,
        sessionId, checkoutUrl, paymentIntentId, chargeId, capturedCents, refundedCents, cancelReason,
        lastPaymentError, dispute, shipment, deliveredAt, buyerToken, createdAt, updatedAt);
  }

  public boolean paidState() {
    return List.of("paid", "shipped", "delivered").contains(state);
  }

  /** What the buyer's private link shows. */
  public JsonObject buyerJson() {
    return new JsonObject().put("orderId", id).put("shop", shop).put("state", state)
        .put("amountCents", amountCents).put("cardIds", new JsonArray(List.copyOf(cardIds)))
        .put("refundedCents", refundedCents).put("cancelReason", cancelReason).put("shipment", shipment)
        .put("deliveredAt", deliveredAt).put("createdAt", createdAt).put("updatedAt", updatedAt);
  }

  /** What the shop's owner and operators see. */
  public JsonObject ownerJson() {
    return buyerJson().put("email", email).put("shippingAddress", shippingAddress)
        .put("applicationFeeCents", applicationFeeCents).put("capturedCents", capturedCents)
        .put("checkoutSessionId", sessionId).put("paymentIntentId", paymentIntentId).put("chargeId", chargeId)
        .put("lastPaymentError", lastPaymentError).put("dispute", dispute);
  }
}
