package io.slabtrack.simulator.stripe;

import io.vertx.core.json.JsonObject;

/** A Stripe-shaped error answer: {@code {"error":{"type","code","message","param"}}} with Stripe's HTTP status. */
final class SimError extends RuntimeException {
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final JsonObject extra;

  private SimError(int status, String type, String code, String message, String param, JsonObject extra) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.extra = extra == null ? new JsonObject() : extra;
  }

  static SimError invalid(String code, String message, String param) {
    return new SimError(400, "invalid_request_error", code, message, param, null);
  }

  static SimError missing(String param) {
    return invalid("parameter_missing", "Missing required param: " + param + ".", param);
  }

  static SimError notFound(String kind, String id) {
    return new SimError(404, "invalid_request_error", "resource_missing", "No such " + kind + ": '" + id + "'",
        "id", null);
  }

  static SimError unexpectedState(String message) {
    return invalid("payment_intent_unexpected_state", message, null);
  }

  /** As Stripe answers it: HTTP 400, and the PaymentIntent as it is now in the error's {@code payment_intent}. */
  static SimError unexpectedState(String message, JsonObject paymentIntent) {
    return new SimError(400, "invalid_request_error", "payment_intent_unexpected_state", message, null,
        new JsonObject().put("payment_intent", paymentIntent.copy()));
  }

  static SimError card(String code, String declineCode, String message, String paymentIntentId) {
    JsonObject extra = new JsonObject().put("decline_code", declineCode);
    if (paymentIntentId != null) {
      extra.put("payment_intent", new JsonObject().put("id", paymentIntentId).put("object", "payment_intent"));
    }
    return new SimError(402, "card_error", code, message, null, extra);
  }

  static SimError idempotency(String message) {
    return new SimError(400, "idempotency_error", "idempotency_key_in_use", message, null, null);
  }

  static SimError authentication(String message) {
    return new SimError(401, "invalid_request_error", "api_key_invalid", message, null, null);
  }

  int status() {
    return status;
  }

  JsonObject toJson() {
    JsonObject error = new JsonObject().put("type", type).put("code", code).put("message", getMessage());
    if (param != null) {
      error.put("param", param);
    }
    error.mergeIn(extra);
    return new JsonObject().put("error", error);
  }
}
