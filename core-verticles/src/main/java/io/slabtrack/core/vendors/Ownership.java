package io.slabtrack.core.vendors;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.core.api.VendorAccess;
import io.slabtrack.core.channels.EngageRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A vendor's limits on core's API: its own cards only, ThisOrThat and its own shops only. Every check passes at once
 * for an operator (an empty owner scope). Unknown card ids pass: the feature behind answers 404 for them as it would
 * for an operator, so a vendor learns nothing here it couldn't learn there.
 */
public final class Ownership {
  private static final String OWNERS = "SELECT id, owner_id FROM cards WHERE id = ANY($1)";
  private static final long SHOP_LOOKUP_TIMEOUT_MS = 5_000;

  private final Pool pool;
  private final Vertx vertx;

  public Ownership(Pool pool, Vertx vertx) {
    this.pool = pool;
    this.vertx = vertx;
  }

  /** 403 {@code not_your_card} (with the ids) unless every existing card of {@code ids} belongs to the vendor. */
  public Future<Void> cards(Optional<String> owner, Collection<Long> ids) {
    if (owner.isEmpty() || ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(OWNERS).execute(Tuple.of((Object) ids.toArray(new Long[0]))).compose(rows -> {
      TreeSet<Long> others = new TreeSet<>();
      rows.forEach(r -> {
        if (!owner.get().equals(r.getString("owner_id"))) {
          others.add(r.getLong("id"));
        }
      });
      return others.isEmpty() ? Future.succeededFuture() : Future.failedFuture(new ApiException(403, "not_your_card",
          (others.size() == 1 ? "Card " + others.first() + " is" : "Cards " + others + " are")
              + " not yours: " + VendorAccess.RULE, new JsonObject().put("cardIds", new JsonArray(List.copyOf(others)))));
    });
  }

  /** The vendor's channel rule: ThisOrThat and the storefront only. */
  public static Optional<ApiException> channel(Optional<String> owner, String channel, String field) {
    if (owner.isEmpty() || VendorAccess.VENDOR_CHANNELS.contains(channel)) {
      return Optional.empty();
    }
    return Optional.of(new ApiException(403, "vendor_channel", "A vendor may not use channel '" + channel + "': "
        + VendorAccess.RULE, new JsonObject().put("field", field).put("channel", channel)));
  }

  /** Cards, channels and shops of engagements a vendor asks for; the storefront names the owner of each shop. */
  public Future<Void> engagements(Optional<String> owner, List<EngageRequest> requests, String fieldPrefix) {
    if (owner.isEmpty()) {
      return Future.succeededFuture();
    }
    for (int i = 0; i < requests.size(); i++) {
      Optional<ApiException> refused = channel(owner, requests.get(i).channel().slug,
          fieldPrefix.isEmpty() ? "channel" : "[" + i + "].channel");
      if (refused.isPresent()) {
        return Future.failedFuture(refused.get());
      }
    }
    return cards(owner, requests.stream().map(EngageRequest::cardId).distinct().toList())
        .compose(v -> shops(owner.get(), requests.stream().map(EngageRequest::shop).filter(s -> s != null)
            .distinct().toList()));
  }

  private Future<Void> shops(String owner, List<String> slugs) {
    if (slugs.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonObject ask = new JsonObject().put("shops", new JsonArray(slugs));
    return vertx.eventBus().<JsonObject>request(Addresses.STOREFRONT_SHOPS_OWNERS, ask,
            new DeliveryOptions().setSendTimeout(SHOP_LOOKUP_TIMEOUT_MS))
        .map(Message::body)
        .recover(e -> Future.failedFuture(e instanceof ReplyException r && r.failureCode() >= 400 && r.failureCode() < 500
            ? new ApiException(502, "storefront_refused", "The storefront refused the shop lookup: " + r.getMessage())
            : new ApiException(503, "storefront_unavailable",
                "The storefront did not answer who owns the shop; try again shortly")))
        .compose(reply -> {
          JsonObject owners = reply.getJsonObject("owners", new JsonObject());
          List<String> notMine = slugs.stream().filter(s -> !owner.equals(owners.getString(s))).sorted().toList();
          return notMine.isEmpty() ? Future.succeededFuture() : Future.failedFuture(new ApiException(403,
              "not_your_shop", "Shop " + String.join(", ", notMine) + " is not yours: " + VendorAccess.RULE,
              new JsonObject().put("field", "shop").put("shops", new JsonArray(notMine))));
        });
  }
}
