package io.slabtrack.cluster.outbox;

import io.vertx.core.json.JsonObject;

/**
 * A receiver's permanent "no": the message breaks a rule and would break it again on every retry. The
 * sender's relay dead-letters it (status {@code dead}) and moves on to the aggregate's next message (unless the
 * address holds its aggregate, {@link RelayOptions#holdingAddresses()}). 401 is the exception: the relay retries it.
 * Codes follow HTTP: 422 by default (a business rule), 400 for a malformed message, 409 for a state conflict.
 */
public class InboxRejection extends RuntimeException {
  private final int code;
  private final String error;

  public InboxRejection(String error, String message) {
    this(422, error, message);
  }

  public InboxRejection(int code, String error, String message) {
    super(message, null, false, false);
    if (code < 400 || code > 499) {
      throw new IllegalArgumentException("a rejection is permanent, so its code is 4xx, not " + code);
    }
    this.code = code;
    this.error = error;
  }

  public int code() {
    return code;
  }

  public String error() {
    return error;
  }

  /** The failure message sent on the bus: the same error body as HTTP answers. */
  public String toJsonString() {
    return new JsonObject().put("error", error).put("message", getMessage()).encode();
  }
}
