package io.slabtrack.storefront.settle;

import io.vertx.core.json.JsonObject;

/**
 * How a Stripe object (an event's {@code data.object}) points at a Storefront order: the {@code orderId} we put in the
 * metadata of sessions, PaymentIntents and refunds (when {@code app} is absent or {@code storefront}), else — disputes,
 * refunds made in the dashboard — its PaymentIntent or charge. One rule shared by the webhook's row lookup and the
 * reconciler's batched "is this event ours?", so the two can never disagree.
 *
 * @param orderId         set when the metadata names our order: the order is found by id only
 * @param paymentIntentId the object's PaymentIntent (itself, or its {@code payment_intent} field)
 * @param chargeId        the object's charge (itself, or its {@code charge} field)
 */
public record StripeOrderKeys(String orderId, String paymentIntentId, String chargeId) {

  public static StripeOrderKeys of(JsonObject object) {
    JsonObject metadata = object.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
    String app = metadata.getValue("app") instanceof String s ? s : null;
    String orderId = metadata.getValue("orderId") instanceof String s && (app == null || "storefront".equals(app))
        ? s : null;
    String pi = "payment_intent".equals(object.getString("object")) ? object.getString("id")
        : object.getValue("payment_intent") instanceof String s ? s : null;
    String charge = "charge".equals(object.getString("object")) ? object.getString("id")
        : object.getValue("charge") instanceof String s ? s : null;
    return new StripeOrderKeys(orderId, pi, charge);
  }

  /** Nothing to look an order up by: not ours whatever the database holds. */
  public boolean empty() {
    return orderId == null && paymentIntentId == null && chargeId == null;
  }
}
