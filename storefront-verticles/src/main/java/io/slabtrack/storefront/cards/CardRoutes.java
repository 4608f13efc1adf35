package io.slabtrack.storefront.cards;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Set;

/** Storefront cards: core's ingest (service token), the buyer's browse and detail, the owner's edits. */
public final class CardRoutes {
  private static final Set<String> PATCH_FIELDS = Set.of("customPrice", "featured", "hidden");
  private final Pool pool;
  private final Cards cards;

  private CardRoutes(Pool pool, Cards cards) {
    this.pool = pool;
    this.cards = cards;
  }

  public static void mount(Router router, AppContext ctx, Cards cards) {
    CardRoutes routes = new CardRoutes(ctx.pool(), cards);
    router.post("/api/storefronts/:slug/cards").handler(ctx.auth().service()).handler(routes::ingest);
    router.get("/api/storefronts/:slug/cards").handler(routes::browse);
    router.get("/api/storefronts/:slug/cards/:cardId").handler(routes::detail);
    router.patch("/api/storefronts/:slug/cards/:cardId").handler(ctx.auth().session()).handler(routes::patch);
  }

  private void ingest(RoutingContext rc) {
    JsonObject body = JsonBody.object(rc);
    pool.withTransaction(tx -> CardEvents.apply(tx, body, rc.pathParam("slug")))
        .onSuccess(reply -> Responses.ok(rc, reply))
        .onFailure(t -> rc.fail(t instanceof InboxRejection r ? new ApiException(r.code(), r.error(), r.getMessage()) : t));
  }

  private void browse(RoutingContext rc) {
    cards.browse(rc.pathParam("slug"), rc.queryParams())
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.items().forEach(card -> items.add(card.publicJson()));
          Responses.ok(rc, new JsonObject().put("items", items).put("total", page.total()).put("limit", page.limit())
              .put("offset", page.offset()));
        })
        .onFailure(rc::fail);
  }

  private void detail(RoutingContext rc) {
    cards.detail(rc.pathParam("slug"), cardId(rc)).onSuccess(card -> Responses.ok(rc, card.publicJson()))
        .onFailure(rc::fail);
  }

  private void patch(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    String slug = rc.pathParam("slug");
    long cardId = cardId(rc);
    JsonObject body = JsonBody.object(rc);
    for (String key : body.fieldNames()) {
      if (!PATCH_FIELDS.contains(key)) {
        throw ApiErrors.invalidField(key, "unknown field " + key + "; use " + PATCH_FIELDS);
      }
    }
    if (body.containsKey("customPrice") && body.getValue("customPrice") != null
        && !(body.getValue("customPrice") instanceof Number n && n.longValue() >= 0
        && n.doubleValue() == n.longValue())) {
      throw ApiErrors.invalidField("customPrice", "customPrice must be whole cents >= 0, or null to clear it");
    }
    for (String flag : new String[] {"featured", "hidden"}) {
      if (body.containsKey(flag) && !(body.getValue(flag) instanceof Boolean)) {
        throw ApiErrors.invalidField(flag, flag + " must be true or false");
      }
    }
    pool.withTransaction(tx -> Shops.get(tx, slug).compose(shop -> {
      shop.requireAccess(who);
      return tx.preparedQuery(CardSql.ONE_IN_SHOP + " FOR UPDATE").execute(Tuple.of(slug, cardId));
    }).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        throw ApiErrors.notFound("Card");
      }
      StorefrontCard card = StorefrontCard.of(rows.iterator().next());
      String status = card.status();
      if (body.containsKey("hidden")) {
        if ("sold".equals(status)) {
          throw ApiErrors.conflict("sold", "This card is sold");
        }
        status = body.getBoolean("hidden") ? "hidden" : "active";
      }
      Long customPrice = body.containsKey("customPrice")
          ? (body.getValue("customPrice") == null ? null : body.getLong("customPrice"))
          : card.customPrice();
      boolean featured = body.containsKey("featured") ? body.getBoolean("featured") : card.featured();
      return tx.preparedQuery(CardSql.OWNER_UPDATE).execute(Tuple.of(slug, cardId, customPrice, featured, status));
    })).onSuccess(rows -> Responses.ok(rc, StorefrontCard.of(rows.iterator().next()).ownerJson())).onFailure(rc::fail);
  }

  private static long cardId(RoutingContext rc) {
    return cardId(rc.pathParam("cardId"));
  }

  /** A card id from a path: a positive number, else 404 (never a 400 that tells ids from garbage). */
  public static long cardId(String raw) {
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // the 404 below
    }
    throw ApiErrors.notFound("Card");
  }
}
