package io.slabtrack.storefront.shops;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Shops: created by operators, edited by their owner or an operator, read by anyone. */
public final class ShopRoutes {
  private final Shops shops;

  private ShopRoutes(Shops shops) {
    this.shops = shops;
  }

  public static void mount(Router router, AppContext ctx, Shops shops) {
    ShopRoutes routes = new ShopRoutes(shops);
    AuthHandlers auth = ctx.auth();
    router.post("/api/storefronts").handler(auth.session(Role.OPERATOR)).handler(routes::create);
    router.get("/api/storefronts").handler(auth.session(Role.OPERATOR, Role.VENDOR)).handler(routes::mine);
    router.get("/api/storefronts/:slug").handler(routes::show);
    router.patch("/api/storefronts/:slug").handler(auth.session()).handler(routes::patch);
  }

  private void create(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    JsonObject in = ShopInput.create(JsonBody.object(rc), who.subject());
    shops.create(in)
        .onSuccess(shop -> Responses.created(rc, "/api/storefronts/" + shop.slug(), shop.ownerJson()))
        .onFailure(rc::fail);
  }

  private void mine(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    shops.list(who.roles().contains(Role.OPERATOR) ? null : who.subject())
        .onSuccess(list -> {
          JsonArray items = new JsonArray();
          list.forEach(s -> items.add(s.ownerJson()));
          Responses.ok(rc, new JsonObject().put("items", items));
        })
        .onFailure(rc::fail);
  }

  private void show(RoutingContext rc) {
    shops.get(rc.pathParam("slug")).onSuccess(shop -> Responses.ok(rc, shop.publicJson())).onFailure(rc::fail);
  }

  private void patch(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    JsonObject body = JsonBody.object(rc);
    shops.update(rc.pathParam("slug"), shop -> {
      shop.requireAccess(who);
      return ShopInput.patch(body, who.roles().contains(Role.OPERATOR));
    })
        .onSuccess(shop -> Responses.ok(rc, shop.ownerJson()))
        .onFailure(rc::fail);
  }
}
