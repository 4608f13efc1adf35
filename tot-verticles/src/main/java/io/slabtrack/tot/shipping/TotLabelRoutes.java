package io.slabtrack.tot.shipping;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.shipping.LabelBatches;
import io.slabtrack.cluster.shipping.LabelPurchase;
import io.slabtrack.cluster.shipping.OrderLabels;
import io.slabtrack.cluster.shipping.PdfResponses;
import io.slabtrack.cluster.shipping.TrackingWebhook;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * The operator's shipping routes for ToT orders: an order's label (buy once, PDF, refund an unused one) and bulk
 * print, and Shippo's tracking webhook (public, token in the URL). ToT ships from the global address. Without Shippo each answers 503 {@code shipping_not_configured}.
 */
public final class TotLabelRoutes {
  private static final String SCOPE = "thisorthat";
  private final TotShippable orders;
  private final OrderLabels labels;
  private final LabelBatches batches;

  private final TrackingWebhook tracking;

  public TotLabelRoutes(Vertx vertx, Pool pool, LabelPurchase purchase) {
    this.orders = new TotShippable(pool);
    this.tracking = new TrackingWebhook(pool, purchase.shippo().settings(), new TotTracking());
    this.labels = new OrderLabels(vertx, pool, orders, purchase);
    this.batches = new LabelBatches(vertx, labels);
  }

  public OrderLabels labels() {
    return labels;
  }

  public void mount(Router router, Handler<RoutingContext> operator) {
    String label = "/api/admin/orders/:id/label";
    router.post(label).handler(operator).handler(this::buy);
    router.get(label).handler(operator).handler(this::pdf);
    router.delete(label).handler(operator).handler(this::refund);
    router.post("/api/admin/labels/batches").handler(operator).handler(this::print);
    router.get("/api/admin/labels/batches/:batchId/pdf").handler(operator).handler(this::batchPdf);
    router.post(TrackingWebhook.PATH).handler(tracking::handle);
  }

  private void buy(RoutingContext rc) {
    labels.requireConfigured();
    orders.read(rc.pathParam("id")).compose(labels::labelFor)
        .onSuccess(l -> Responses.ok(rc, l.toJson("/api/admin/orders/" + l.orderId() + "/label")))
        .onFailure(rc::fail);
  }

  private void pdf(RoutingContext rc) {
    labels.requireConfigured();
    orders.read(rc.pathParam("id")).compose(o -> labels.pdf(o.id()))
        .onSuccess(pdf -> PdfResponses.send(rc, pdf, "label-" + rc.pathParam("id") + ".pdf")).onFailure(rc::fail);
  }

  private void refund(RoutingContext rc) {
    labels.requireConfigured();
    orders.read(rc.pathParam("id")).compose(labels::refund)
        .onSuccess(json -> Responses.ok(rc, json)).onFailure(rc::fail);
  }

  private void print(RoutingContext rc) {
    labels.requireConfigured();
    var ids = LabelBatches.orderIds(JsonBody.object(rc));
    batches.print(SCOPE, ids, orders::read, batch -> "/api/admin/labels/batches/" + batch + "/pdf",
            AuthHandlers.principal(rc).subject())
        .onSuccess(json -> PdfResponses.printed(rc, json)).onFailure(rc::fail);
  }

  private void batchPdf(RoutingContext rc) {
    labels.requireConfigured();
    batches.pdf(SCOPE, rc.pathParam("batchId"))
        .onSuccess(pdf -> PdfResponses.send(rc, pdf, "labels-" + rc.pathParam("batchId") + ".pdf"))
        .onFailure(rc::fail);
  }
}
