package io.slabtrack.tot.pages;

import io.slabtrack.cluster.web.IdCookie;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The buyer's flip cart ({@code tot_flip}) and pull tray ({@code tot_pull}): listing ids in cookies
 * ({@link IdCookie}). The cart holds what one play may (25 listings); the tray more than a pull allows, so the page
 * can say why six won't play rather than refuse the sixth.
 */
record Picked(IdCookie flipCart, IdCookie pullTray) {
  static final int FLIP_MAX = 25;
  static final int PULL_MAX = 10;

  /** No picks: the browse page as every buyer sees it before their own picks are written in. */
  static final Picked NONE = new Picked(new IdCookie("tot_flip", List.of(), FLIP_MAX),
      new IdCookie("tot_pull", List.of(), PULL_MAX));

  static Picked of(RoutingContext rc) {
    return new Picked(IdCookie.read(rc, "tot_flip", FLIP_MAX), IdCookie.read(rc, "tot_pull", PULL_MAX));
  }

  List<Long> flip() {
    return flipCart.ids();
  }

  List<Long> pull() {
    return pullTray.ids();
  }

  IdCookie of(String game) {
    return "flip".equals(game) ? flipCart : pullTray;
  }

  Views.Header header() {
    return new Views.Header(flipCart.size(), pullTray.size());
  }
}
