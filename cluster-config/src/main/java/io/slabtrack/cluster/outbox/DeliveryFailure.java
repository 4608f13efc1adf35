package io.slabtrack.cluster.outbox;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Why one delivery attempt failed, and what that means for the message:
 * <ul>
 *   <li>{@code permanent}: only the receiver can say "never" — a recipient failure with a 4xx code (the HTTP
 *   meaning: your request is wrong), except 401 (our token was not accepted: a key rotation in progress, config to
 *   fix, not the message). Dead-lettered at once.</li>
 *   <li>{@code poison}: the message got through and processing it failed — our own reply handler threw or failed,
 *   or the receiver's handler answered 500 (or an uncoded failure). The same message will likely fail the same way,
 *   so these count towards {@link RelayOptions#maxFailures()}.</li>
 *   <li>anything else — nobody listening, no answer in time, 503, 401 — says the receiver is not there or not
 *   ready: retried for as long as it takes, never dead-lettered (a satellite down for a day gets everything).</li>
 * </ul>
 */
record DeliveryFailure(boolean permanent, boolean poison, String description) {

  static DeliveryFailure classify(Throwable t) {
    if (t instanceof ReplyException re) {
      String text = re.failureType() + " " + re.failureCode() + ": " + re.getMessage();
      boolean recipient = re.failureType() == ReplyFailure.RECIPIENT_FAILURE;
      int code = re.failureCode();
      boolean rejected = recipient && code >= 400 && code <= 499 && code != 401;
      boolean handlerFailed = recipient && !rejected && code != 401 && code != 503;
      return new DeliveryFailure(rejected, handlerFailed, text);
    }
    return new DeliveryFailure(false, false, t.getClass().getSimpleName() + ": " + t.getMessage());
  }

  static DeliveryFailure replyHandlerFailed(Throwable t) {
    return new DeliveryFailure(false, true,
        "reply handler failed: " + t.getClass().getSimpleName() + ": " + t.getMessage());
  }

  static DeliveryFailure transientFailure(String description) {
    return new DeliveryFailure(false, false, description);
  }
}
