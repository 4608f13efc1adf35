package io.slabtrack.cluster.outbox;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One message to deliver durably.
 *
 * @param eventId      the receiver's de-duplication key; retried enqueues with the same id are no-ops
 * @param address      event-bus address of the receiver
 * @param aggregate    ordering key ("card:123"): messages of one aggregate are delivered one at a time, in
 *                     enqueue order
 * @param payload      the JSON body; {@link #busPayload()} adds {@code eventId} and {@code occurredAt}
 * @param replyHandler the durable name of the {@link ReplyRoute} whose handler takes the reply (set by
 *                     {@link ReplyRoute#message}), or null when the acknowledgement is all the sender needs
 */
public record OutboxMessage(UUID eventId, String address, String aggregate, JsonObject payload,
                            String replyHandler) {

  public OutboxMessage {
    Objects.requireNonNull(eventId, "eventId");
    requireText(address, "address");
    requireText(aggregate, "aggregate");
    Objects.requireNonNull(payload, "payload");
    Object bodyId = payload.getValue("eventId");
    if (bodyId != null && !eventId.toString().equals(bodyId.toString())) {
      throw new IllegalArgumentException("payload eventId " + bodyId + " differs from message eventId " + eventId);
    }
    if (replyHandler != null && replyHandler.isBlank()) {
      replyHandler = null;
    }
  }

  /** A fire-and-acknowledge message, with the payload's own eventId when it has one, else a new one. */
  public static OutboxMessage of(String address, String aggregate, JsonObject payload) {
    String bodyId = payload.getString("eventId");
    UUID id = bodyId == null ? UUID.randomUUID() : UUID.fromString(bodyId);
    return new OutboxMessage(id, address, aggregate, payload, null);
  }

  /** Addresses under this prefix are public events (EVENT-BUS.md, "Public events"): published, not requested. */
  public static final String PUBLIC_PREFIX = "public.";

  /**
   * A public event goes to every listener (bridged browsers and services included) with {@code publish}, and
   * counts as delivered once handed to the bus: nobody replies and no inbox de-duplicates it, so listeners use
   * its {@code eventId} to drop a repeat (a relay that dies after publishing publishes again).
   */
  public static boolean isPublic(String address) {
    return address != null && address.startsWith(PUBLIC_PREFIX);
  }

  /** The body as the receiver will see it: every state-changing bus message carries eventId and occurredAt. */
  public JsonObject busPayload() {
    JsonObject body = payload.copy();
    body.put("eventId", eventId.toString());
    if (!body.containsKey("occurredAt")) {
      // enqueue happens in the state change's transaction, so "now" is when it occurred
      body.put("occurredAt", Instant.now().toString());
    }
    return body;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }
}
