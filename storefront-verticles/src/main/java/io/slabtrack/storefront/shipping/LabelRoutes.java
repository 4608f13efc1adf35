package io.slabtrack.storefront.shipping;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The owner's and operator's shipping routes: an order's label (buy, file, refund) and bulk print. Without Shippo
 * every one answers 503 {@code shipping_not_configured} (after the session check).
 */
public final class LabelRoutes {
  private final Labels labels;
  private final LabelBatches batches;

  private LabelRoutes(Labels labels, LabelBatches batches) {
    this.labels = labels;
    this.batches = batches;
  }

  public static void mount(Router router, AppContext ctx, Labels labels, LabelBatches batches) {
    LabelRoutes r = new LabelRoutes(labels, batches);
    String label = "/api/storefronts/:slug/orders/:orderId/label";
    router.post(label).handler(ctx.auth().session()).handler(r::buy);
    router.get(label).handler(ctx.auth().session()).handler(r::pdf);
    router.delete(label).handler(ctx.auth().session()).handler(r::refund);
    router.post("/api/storefronts/:slug/labels/batches").handler(ctx.auth().session()).handler(r::print);
    router.get("/api/storefronts/:slug/labels/batches/:batchId/pdf").handler(ctx.auth().session())
        .handler(r::batchPdf);
  }

  private void buy(RoutingContext rc) {
    labels.requireConfigured();
    labels.buy(rc.pathParam("slug"), rc.pathParam("orderId"), AuthHandlers.principal(rc))
        .onSuccess(json -> Responses.ok(rc, json)).onFailure(rc::fail);
  }

  private void pdf(RoutingContext rc) {
    labels.requireConfigured();
    labels.pdf(rc.pathParam("slug"), rc.pathParam("orderId"), AuthHandlers.principal(rc))
        .onSuccess(pdf -> sendPdf(rc, pdf, "label-" + rc.pathParam("orderId") + ".pdf")).onFailure(rc::fail);
  }

  private void refund(RoutingContext rc) {
    labels.requireConfigured();
    labels.refund(rc.pathParam("slug"), rc.pathParam("orderId"), AuthHandlers.principal(rc))
        .onSuccess(json -> Responses.ok(rc, json)).onFailure(rc::fail);
  }

  private void print(RoutingContext rc) {
    labels.requireConfigured();
    var ids = LabelBatches.orderIds(JsonBody.object(rc));
    batches.print(rc.pathParam("slug"), ids, AuthHandlers.principal(rc))
        .onSuccess(json -> {
          if (json.getString("pdfUrl") == null) {
            Responses.send(rc, 201, json.encode()); // nothing printable: the failures say why
          } else {
            Responses.created(rc, json.getString("pdfUrl"), json);
          }
        }).onFailure(rc::fail);
  }

  private void batchPdf(RoutingContext rc) {
    labels.requireConfigured();
    batches.pdf(rc.pathParam("slug"), rc.pathParam("batchId"), AuthHandlers.principal(rc))
        .onSuccess(pdf -> sendPdf(rc, pdf, "labels-" + rc.pathParam("batchId") + ".pdf")).onFailure(rc::fail);
  }

  private static void sendPdf(RoutingContext rc, Buffer pdf, String name) {
    rc.response().putHeader("Content-Type", "application/pdf")
        .putHeader("Content-Disposition", "inline; filename=\"" + name + "\"")
        .putHeader("Cache-Control", "private, no-store").end(pdf);
  }
}
