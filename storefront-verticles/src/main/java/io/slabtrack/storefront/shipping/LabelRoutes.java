package io.slabtrack.storefront.shipping;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.shipping.LabelBatches;
import io.slabtrack.cluster.shipping.LabelPurchase;
import io.slabtrack.cluster.shipping.OrderLabels;
import io.slabtrack.cluster.shipping.PdfResponses;
import io.slabtrack.cluster.shipping.TrackingWebhook;
import io.slabtrack.storefront.orders.ShopOrders;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The shop owner's and operators' shipping routes: an order's label (buy once, PDF, refund an unused one) and bulk
 * print of the shop's orders. Without Shippo each answers 503 {@code shipping_not_configured} after the session check.
 */
public final class LabelRoutes {
  private final StorefrontShippable orders;
  private final OrderLabels labels;
  private final LabelBatches batches;

  private LabelRoutes(StorefrontShippable orders, OrderLabels labels, LabelBatches batches) {
    this.orders = orders;
    this.labels = labels;
    this.batches = batches;
  }

  public static void mount(Router router, AppContext ctx, ShopOrders shopOrders, LabelPurchase purchase) {
    StorefrontShippable orders = new StorefrontShippable(ctx.pool(), shopOrders);
    OrderLabels labels = new OrderLabels(ctx.vertx(), ctx.pool(), orders, purchase);
    LabelRoutes r = new LabelRoutes(orders, labels, new LabelBatches(ctx.vertx(), labels));
    String label = "/api/storefronts/:slug/orders/:orderId/label";
    router.post(label).handler(ctx.auth().session()).handler(r::buy);
    router.get(label).handler(ctx.auth().session()).handler(r::pdf);
    router.delete(label).handler(ctx.auth().session()).handler(r::refund);
    router.post("/api/storefronts/:slug/labels/batches").handler(ctx.auth().session()).handler(r::print);
    router.get("/api/storefronts/:slug/labels/batches/:batchId/pdf").handler(ctx.auth().session())
        .handler(r::batchPdf);
    router.post("/s/:slug/manage/orders/:orderId/label").handler(ctx.auth().session())
        .handler(rc -> {
          labels.requireConfigured();
          rc.next();
        })
        .handler(new LabelPages(orders, labels)::buy);
    TrackingWebhook tracking = new TrackingWebhook(ctx.pool(), purchase.shippo().settings(), new StorefrontTracking());
    router.post(TrackingWebhook.PATH).handler(tracking::handle);
  }

  private void buy(RoutingContext rc) {
    labels.requireConfigured();
    String slug = rc.pathParam("slug");
    orders.owned(slug, rc.pathParam("orderId"), AuthHandlers.principal(rc)).compose(labels::labelFor)
        .onSuccess(l -> Responses.ok(rc, l.toJson(pdfPath(slug, l.orderId())))).onFailure(rc::fail);
  }

  private void pdf(RoutingContext rc) {
    labels.requireConfigured();
    orders.owned(rc.pathParam("slug"), rc.pathParam("orderId"), AuthHandlers.principal(rc))
        .compose(o -> labels.pdf(o.id()))
        .onSuccess(pdf -> PdfResponses.send(rc, pdf, "label-" + rc.pathParam("orderId") + ".pdf"))
        .onFailure(rc::fail);
  }

  private void refund(RoutingContext rc) {
    labels.requireConfigured();
    orders.owned(rc.pathParam("slug"), rc.pathParam("orderId"), AuthHandlers.principal(rc)).compose(labels::refund)
        .onSuccess(json -> Responses.ok(rc, json)).onFailure(rc::fail);
  }

  private void print(RoutingContext rc) {
    labels.requireConfigured();
    var ids = LabelBatches.orderIds(JsonBody.object(rc));
    String slug = rc.pathParam("slug");
    VerifiedToken who = AuthHandlers.principal(rc);
    Shops.get(labels.pool(), slug).compose(shop -> {
      shop.requireAccess(who);
      return batches.print(slug, ids, id -> orders.owned(slug, id, who),
          batch -> "/api/storefronts/" + slug + "/labels/batches/" + batch + "/pdf", who.subject());
    }).onSuccess(json -> PdfResponses.printed(rc, json)).onFailure(rc::fail);
  }

  private void batchPdf(RoutingContext rc) {
    labels.requireConfigured();
    String slug = rc.pathParam("slug");
    VerifiedToken who = AuthHandlers.principal(rc);
    Shops.get(labels.pool(), slug).compose(shop -> {
      shop.requireAccess(who);
      return batches.pdf(slug, rc.pathParam("batchId"));
    }).onSuccess(pdf -> PdfResponses.send(rc, pdf, "labels-" + rc.pathParam("batchId") + ".pdf"))
        .onFailure(rc::fail);
  }

  private static String pdfPath(String slug, String orderId) {
    return "/api/storefronts/" + slug + "/orders/" + orderId + "/label";
  }
}
