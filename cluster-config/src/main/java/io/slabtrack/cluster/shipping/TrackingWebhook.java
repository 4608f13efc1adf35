package io.slabtrack.cluster.shipping;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shippo's {@code track_updated} webhook for one satellite ({@code POST /api/shipping/webhook?token=…}, public: the
 * token of {@code SHIPPO_WEBHOOK_TOKEN} is the credential, compared in constant time; none configured = every
 * event refused). Each event is recorded once (a replay is answered 200 and changes nothing); a parcel only moves
 * forward — in transit, out for delivery, delivered — so a late, older event never moves an order back. When it
 * moves, the app applies the milestone to the order in the same transaction ({@link Sink}), so the order, core's
 * ledger event and the buyer's mail change together with the record. Parcels this app didn't label are ignored.
 */
public final class TrackingWebhook {
  public static final String PATH = "/api/shipping/webhook";
  /** Milestones in the order a parcel reaches them. */
  public static final List<String> MILESTONES = List.of("in_transit", "out_for_delivery", "delivered");
  private static final Logger LOG = LoggerFactory.getLogger(TrackingWebhook.class);
  private static final String RECORD = "INSERT INTO tracking_events (tracking_number, status, substatus, status_date) "
      + "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
  private static final String LABEL_FOR_UPDATE = "SELECT id, order_id, tracking_status FROM shipping_labels "
      + "WHERE tracking_number = $1 AND state = 'bought' FOR UPDATE";
  private static final String ADVANCE = "UPDATE shipping_labels SET tracking_status = $2, tracking_at = $3, "
      + "updated_at = now() WHERE id = $1";

  /** What the app does when an order's parcel reaches a milestone, in the webhook's transaction. */
  public interface Sink {
    Future<Void> reached(SqlConnection tx, String orderId, String milestone, Instant at);
  }

  private final Pool pool;
  private final ShippoSettings settings;
  private final Sink sink;

  public TrackingWebhook(Pool pool, ShippoSettings settings, Sink sink) {
    this.pool = pool;
    this.settings = settings;
    this.sink = sink;
  }

  public void handle(RoutingContext rc) {
    String token = rc.queryParams().get("token");
    if (settings.webhookToken().isEmpty() || token == null || !MessageDigest.isEqual(
        settings.webhookToken().get().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
      throw ApiErrors.unauthorized("tracking webhook token missing or wrong");
    }
    JsonObject event = JsonBody.object(rc);
    if (!"track_updated".equals(event.getString("event"))) {
      Responses.ok(rc, new JsonObject().put("ignored", "not a track_updated event"));
      return;
    }
    JsonObject data = event.getValue("data") instanceof JsonObject d ? d : null;
    JsonObject status = data == null ? null : data.getValue("tracking_status") instanceof JsonObject s ? s : null;
    String number = data == null ? null : data.getString("tracking_number");
    if (number == null || status == null || status.getString("status") == null) {
      throw ApiErrors.invalidField("data.tracking_status", "a track_updated event needs data.tracking_number and "
          + "data.tracking_status.status");
    }
    Instant at;
    try {
      at = Instant.parse(status.getString("status_date"));
    } catch (NullPointerException | DateTimeParseException | ClassCastException e) {
      throw ApiErrors.invalidField("data.tracking_status.status_date", "status_date must be an ISO-8601 time");
    }
    String substatus = status.getValue("substatus") instanceof JsonObject sub ? sub.getString("code", "") : "";
    String milestone = milestone(status.getString("status"), substatus);
    pool.withTransaction(tx -> tx.preparedQuery(RECORD).execute(Tuple.of(number, status.getString("status"),
            substatus, at.atOffset(ZoneOffset.UTC))).compose(recorded -> {
      if (recorded.rowCount() == 0) {
        return Future.succeededFuture(new JsonObject().put("replay", true));
      }
      return tx.preparedQuery(LABEL_FOR_UPDATE).execute(Tuple.of(number)).compose(rows -> {
        if (rows.rowCount() == 0) {
          return Future.succeededFuture(new JsonObject().put("ignored", "no label of ours has this tracking number"));
        }
        var label = rows.iterator().next();
        if (milestone == null || rank(milestone) <= rank(label.getString("tracking_status"))) {
          return Future.succeededFuture(new JsonObject().put("orderId", label.getString("order_id"))
              .put("tracking", label.getString("tracking_status")));
        }
        LOG.info("order {}: parcel {} {}", label.getString("order_id"), number, milestone);
        return tx.preparedQuery(ADVANCE).execute(Tuple.of(label.getString("id"), milestone, at.atOffset(ZoneOffset.UTC)))
            .compose(x -> sink.reached(tx, label.getString("order_id"), milestone, at))
            .map(x -> new JsonObject().put("orderId", label.getString("order_id")).put("tracking", milestone));
      });
    })).onSuccess(body -> Responses.ok(rc, body)).onFailure(rc::fail);
  }

  /** Shippo's status (and substatus) as our milestone; null for what doesn't move an order (pre-transit, returns…). */
  static String milestone(String status, String substatus) {
    return switch (status) {
      case "DELIVERED" -> "delivered";
      case "TRANSIT" -> "out_for_delivery".equals(substatus) ? "out_for_delivery" : "in_transit";
      default -> null;
    };
  }

  static int rank(String milestone) {
    return milestone == null ? -1 : MILESTONES.indexOf(milestone);
  }
}
