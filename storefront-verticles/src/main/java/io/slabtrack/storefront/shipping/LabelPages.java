package io.slabtrack.storefront.shipping;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.OriginCheck;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.shipping.OrderLabels;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The owner's page's "Buy label &amp; ship" button ({@code POST /s/{slug}/manage/orders/{id}/label}): the API's
 * once-only purchase, then back to the manage page (303) with what happened — bought (the order is shipped), or
 * why not (an address Shippo rejects, not paid any more, shipping not configured), with nothing changed.
 */
final class LabelPages {
  static final Set<String> NOTES = Set.of("label_bought", "invalid_address", "illegal_transition",
      "shipping_not_configured", "ship_from_not_configured", "no_rate", "label_refused", "shipping_unavailable");
  private final StorefrontShippable orders;
  private final OrderLabels labels;

  LabelPages(StorefrontShippable orders, OrderLabels labels) {
    this.orders = orders;
    this.labels = labels;
  }

  void buy(RoutingContext rc) {
    if (!OriginCheck.fromThisSite(rc.request())) {
      throw ApiErrors.forbidden("csrf_rejected", "This form must be sent from this shop's own pages");
    }
    String slug = rc.pathParam("slug");
    String orderId = rc.pathParam("orderId");
    orders.owned(slug, orderId, AuthHandlers.principal(rc)).compose(labels::labelFor)
        .onSuccess(label -> back(rc, slug, "label_bought", orderId))
        .onFailure(e -> {
          if (e instanceof ApiException api && NOTES.contains(api.code())) {
            back(rc, slug, api.code(), orderId);
          } else {
            rc.fail(e);
          }
        });
  }

  private static void back(RoutingContext rc, String slug, String note, String orderId) {
    String row = orderId.matches("[A-Za-z0-9_-]{1,64}") ? orderId : null;
    rc.response().setStatusCode(303).putHeader("Location", "/s/" + slug + "/manage?note=" + note
        + (row == null ? "" : "&target=" + row + "#" + row)).end();
  }
}
