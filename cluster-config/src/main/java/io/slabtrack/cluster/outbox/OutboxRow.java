package io.slabtrack.cluster.outbox;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One outbox row as the relay claimed it (and as the operator view shows it). */
public record OutboxRow(long id, UUID eventId, String aggregate, String address, JsonObject payload,
                        String replyHandler, String status, int attempts, Instant nextAttemptAt,
                        String lastError, Instant createdAt, Instant deliveredAt, JsonObject reply, int failures,
                        boolean holdsAggregate, JsonObject correlation) {

  static OutboxRow from(Row r) {
    return new OutboxRow(
        r.getLong("id"),
        r.getUUID("event_id"),
        r.getString("aggregate"),
        r.getString("address"),
        jsonOrNull(r.getValue("payload")),
        r.getString("reply_handler"),
        r.getString("status"),
        r.getInteger("attempts"),
        instant(r.getOffsetDateTime("next_attempt_at")),
        r.getString("last_error"),
        instant(r.getOffsetDateTime("created_at")),
        instant(r.getOffsetDateTime("delivered_at")),
        jsonOrNull(r.getValue("reply")),
        r.getInteger("failures"),
        r.getBoolean("holds_aggregate"),
        jsonOrNull(r.getValue("correlation")));
  }

  /** camelCase, ISO-8601 UTC times, as API-CONVENTIONS.md asks of every JSON answer. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("eventId", eventId.toString())
        .put("aggregate", aggregate)
        .put("address", address)
        .put("status", status)
        .put("attempts", attempts)
        .put("failures", failures)
        .put("holdsAggregate", holdsAggregate)
        .put("nextAttemptAt", iso(nextAttemptAt))
        .put("lastError", lastError)
        .put("createdAt", iso(createdAt))
        .put("deliveredAt", iso(deliveredAt))
        .put("replyHandler", replyHandler)
        .put("payload", payload)
        .put("reply", reply)
        .put("correlation", correlation);
  }

  private static JsonObject jsonOrNull(Object value) {
    if (value == null) {
      return null;
    }
    // a jsonb column may legally hold a scalar or an array; keep it visible rather than failing the read
    return value instanceof JsonObject o ? o : new JsonObject().put("value", value);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static String iso(Instant t) {
    return t == null ? null : t.toString();
  }
}
