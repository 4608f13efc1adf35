package io.slabtrack.cluster.outbox;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Why one delivery attempt failed, and whether trying again can help. Only the receiver can say "never":
 * a recipient failure with a 4xx code (the HTTP meaning: your request is wrong), except 401. Everything else — nobody
 * listening, no answer in time, a 5xx or uncoded failure, our own reply handler failing — may pass.
 */
record DeliveryFailure(boolean permanent, String description) {

  static DeliveryFailure classify(Throwable t) {
    if (t instanceof ReplyException re) {
      String text = re.failureType() + " " + re.failureCode() + ": " + re.getMessage();
      // 401: the receiver could not verify our service token — during a JWT key rotation a node that does not yet
      // know the new key says so. Config, not the message, is wrong: keep it and try again.
      boolean rejected = re.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && re.failureCode() >= 400 && re.failureCode() <= 499 && re.failureCode() != 401;
      return new DeliveryFailure(rejected, text);
    }
    return new DeliveryFailure(false, t.getClass().getSimpleName() + ": " + t.getMessage());
  }

  static DeliveryFailure replyHandlerFailed(Throwable t) {
    return new DeliveryFailure(false, "reply handler failed: " + t.getClass().getSimpleName() + ": " + t.getMessage());
  }

  static DeliveryFailure transientFailure(String description) {
    return new DeliveryFailure(false, description);
  }
}
