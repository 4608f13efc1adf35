package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.web.Forms;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.ext.web.RoutingContext;

/**
 * Where a shop owner lands: {@code /manage} (session) leads to their shop's manage page, or lists the shops they
 * may manage (operators: all). The Storefront's sessions come only from core's handoff, whose {@code next}
 * defaults to {@code /}; so {@code /} sends a signed-in vendor or operator on to {@code /manage} instead of the
 * buyers' list of shops (the session is only read here to pick a page — {@code /manage} checks it in full).
 */
final class OwnerLanding {
  static final String PATH = "/manage";

  private final PageRenderer pages;
  private final Shops shops;
  private final AppContext ctx;

  OwnerLanding(PageRenderer pages, Shops shops, AppContext ctx) {
    this.pages = pages;
    this.shops = shops;
    this.ctx = ctx;
  }

  void manage(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    shops.list(who.roles().contains(Role.OPERATOR) ? null : who.subject()).compose(list -> list.size() == 1
        ? Forms.redirect(rc, ManagePages.path(list.get(0).slug()))
        : pages.send(rc, 200, "Your shops · SlabTrack", ShopTheme.of(null), null, "home.jte",
            new Views.Home(list.stream().map(s -> new Views.ShopLink(s.name(), ManagePages.path(s.slug()), s.bio(),
                s.acceptingOrders())).toList())))
        .onFailure(rc::fail);
  }

  /** {@code /}: a signed-in vendor or operator goes on to {@code /manage}; anyone else gets {@code buyers}. */
  void home(RoutingContext rc, io.vertx.core.Handler<RoutingContext> buyers) {
    ctx.auth().optionalSession(rc)
        .map(who -> who.filter(t -> t.roles().contains(Role.VENDOR) || t.roles().contains(Role.OPERATOR)).isPresent())
        .onSuccess(owner -> {
          if (owner) {
            Forms.redirect(rc, PATH);
          } else {
            buyers.handle(rc);
          }
        });
  }
}
