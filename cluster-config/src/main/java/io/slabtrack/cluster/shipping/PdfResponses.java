package io.slabtrack.cluster.shipping;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** A label PDF as an HTTP answer: shown inline (print from the browser), never cached by anyone but the caller. */
public final class PdfResponses {
  private PdfResponses() {
  }

  public static void send(RoutingContext rc, Buffer pdf, String fileName) {
    rc.response().putHeader("Content-Type", "application/pdf")
        .putHeader("Content-Disposition", "inline; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"")
        .putHeader("Cache-Control", "private, no-store").end(pdf);
  }
}
