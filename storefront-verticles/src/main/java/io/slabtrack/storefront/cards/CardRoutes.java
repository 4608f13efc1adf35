package io.slabtrack.storefront.cards;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/** Storefront cards: core's ingest (service token), the buyer's browse and detail, the owner's edits. */
public final class CardRoutes {
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
    // the page's JSON comes encoded from the browse cache
    cards.page(rc.pathParam("slug"), rc.queryParams())
        .onSuccess(page -> rc.response().putHeader("Content-Type", "application/json").end(page.json()))
        .onFailure(rc::fail);
  }

  private void detail(RoutingContext rc) {
    cards.detail(rc.pathParam("slug"), cardId(rc)).onSuccess(card -> Responses.ok(rc, card.publicJson()))
        .onFailure(rc::fail);
  }

  private void patch(RoutingContext rc) {
    cards.patch(rc.pathParam("slug"), cardId(rc), AuthHandlers.principal(rc), JsonBody.object(rc))
        .onSuccess(card -> Responses.ok(rc, card.ownerJson())).onFailure(rc::fail);
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
