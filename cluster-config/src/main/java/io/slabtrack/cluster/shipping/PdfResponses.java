package io.slabtrack.cluster.shipping;

import io.slabtrack.cluster.http.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Label PDFs as HTTP answers: a PDF shown inline (print from the browser), never cached by anyone but the caller; a
 * bulk print's outcome.
 */
public final class PdfResponses {
  private PdfResponses() {
  }

  public static void send(RoutingContext rc, Buffer pdf, String fileName) {
    rc.response().putHeader("Content-Type", "application/pdf")
        .putHeader("Content-Disposition", "inline; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"")
        .putHeader("Cache-Control", "private, no-store").end(pdf);
  }

  /** A bulk print: 201 with the PDF's Location, or without one when nothing was printable (the failures say why). */
  public static void printed(RoutingContext rc, JsonObject batch) {
    if (batch.getString("pdfUrl") == null) {
      Responses.send(rc, 201, batch.encode());
    } else {
      Responses.created(rc, batch.getString("pdfUrl"), batch);
    }
  }
}
