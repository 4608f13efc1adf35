package io.slabtrack.cluster.reconcile;

import com.stripe.param.EventListParams;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Stripe events this app should have processed but never did: a webhook Stripe gave up on, or one lost on our side.
 * Stripe keeps events for 30 days and lists them through its API, newest first; whatever is ours and missing from
 * {@code stripe_events} (the webhook inbox) was never applied. The caller applies them through its webhook code.
 */
public final class LostStripeEvents {
  /** How far back Stripe keeps events. */
  public static final Duration STRIPE_RETENTION = Duration.ofDays(30);
  private static final long PAGE = 100;

  private final StripeGateway stripe;
  private final Pool pool;

  public LostStripeEvents(StripeGateway stripe, Pool pool) {
    this.stripe = stripe;
    this.pool = pool;
  }

  /** Reads {@code sinceDays} (1…30, default 30) from a reconcile request. */
  public static Duration window(JsonObject request) {
    Object days = request.getValue("sinceDays");
    if (days == null) {
      return STRIPE_RETENTION;
    }
    if (!(days instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1
        || n.longValue() > STRIPE_RETENTION.toDays()) {
      throw ApiErrors.invalidField("sinceDays", "sinceDays must be an integer from 1 to 30");
    }
    return Duration.ofDays(n.longValue());
  }

  /** Reads {@code mode} ("report", the default, or "heal") from a reconcile request. */
  public static boolean healMode(JsonObject request) {
    Object mode = request.getValue("mode");
    if (mode == null || "report".equals(mode)) {
      return false;
    }
    if ("heal".equals(mode)) {
      return true;
    }
    throw ApiErrors.invalidField("mode", "mode must be \"report\" or \"heal\"");
  }

  /** The result of one scan: how many events were listed, and those of ours never processed, oldest first. */
  public record Scan(int listed, List<JsonObject> unprocessed) {
  }

  /**
   * @param types the event types the app's webhook acts on (Stripe filters by them)
   * @param ours  whether an event concerns this app (ToT and Storefront share the platform account)
   */
  public Future<Scan> scan(Duration window, List<String> types, Predicate<JsonObject> ours) {
    long since = Instant.now().minus(window).getEpochSecond();
    List<JsonObject> listed = new ArrayList<>();
    return page(since, types, null, listed).compose(v -> unprocessed(listed.stream().filter(ours).toList()))
        .map(missing -> new Scan(listed.size(), missing));
  }

  /** Every event of these types in the window, newest first (Stripe's order), page after page. */
  public Future<List<JsonObject>> list(Duration window, List<String> types) {
    List<JsonObject> listed = new ArrayList<>();
    return page(Instant.now().minus(window).getEpochSecond(), types, null, listed).map(listed);
  }

  private Future<Void> page(long since, List<String> types, String startingAfter, List<JsonObject> into) {
    EventListParams.Builder params = EventListParams.builder().setLimit(PAGE).addAllType(types)
        .setCreated(EventListParams.Created.builder().setGte(since).build());
    if (startingAfter != null) {
      params.setStartingAfter(startingAfter);
    }
    return stripe.listEvents(params.build()).compose(page -> {
      JsonArray data = page.getJsonArray("data", new JsonArray());
      for (int i = 0; i < data.size(); i++) {
        into.add(data.getJsonObject(i));
      }
      if (!page.getBoolean("has_more", false) || data.isEmpty()) {
        return Future.succeededFuture();
      }
      return page(since, types, data.getJsonObject(data.size() - 1).getString("id"), into);
    });
  }

  private Future<List<JsonObject>> unprocessed(List<JsonObject> ours) {
    if (ours.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] ids = ours.stream().map(e -> e.getString("id")).toArray(String[]::new);
    return pool.preparedQuery("SELECT event_id FROM stripe_events WHERE event_id = ANY($1)")
        .execute(Tuple.of(ids)).map(rows -> {
          Set<String> seen = new HashSet<>();
          for (Row row : rows) {
            seen.add(row.getString(0));
          }
          List<JsonObject> missing = new ArrayList<>();
          // Stripe lists newest first; apply oldest first, as Stripe would have delivered them
          for (int i = ours.size() - 1; i >= 0; i--) {
            if (!seen.contains(ours.get(i).getString("id"))) {
              missing.add(ours.get(i));
            }
          }
          return missing;
        });
  }
}
