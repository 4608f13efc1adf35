package io.slabtrack.cluster.shipping;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Bulk print: the selected orders' labels in one PDF, one 4×6 page each, in the order selected. An order without a
 * label gets one bought first (the same once-only purchase as a click); an order that can't be printed (not paid,
 * an address Shippo rejects, not the caller's) is listed with why and the rest are printed. Orders are handled one
 * after another, which keeps Shippo's rate limits and the pool calm; the merged PDF is kept for reprinting.
 */
public final class LabelBatches {
  public static final int MAX_ORDERS = 100;

  private final Vertx vertx;
  private final OrderLabels labels;

  public LabelBatches(Vertx vertx, OrderLabels labels) {
    this.vertx = vertx;
    this.labels = labels;
  }

  /** {@code orderIds}: 1-100 order ids (repeats printed once); 400 {@code invalid_field} otherwise. */
  public static List<String> orderIds(JsonObject body) {
    if (!(body.getValue("orderIds") instanceof JsonArray ids) || ids.isEmpty() || ids.size() > MAX_ORDERS) {
      throw ApiErrors.invalidField("orderIds", "orderIds must list 1-" + MAX_ORDERS + " order ids");
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object id : ids) {
      if (!(id instanceof String s) || s.isBlank() || s.length() > 100) {
        throw ApiErrors.invalidField("orderIds", "orderIds must be order id strings");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  /**
   * @param scope    whose batch it is (a shop's slug, or the app for operators): reading it back needs the same
   * @param resolve  an order id → the order, failing (404/403…) when the caller may not print it
   * @param pdfPath  the batch id → where its PDF is served
   */
  public Future<JsonObject> print(String scope, List<String> orderIds,
                                  Function<String, Future<ShippableOrders.Order>> resolve,
                                  Function<String, String> pdfPath, String createdBy) {
    List<JsonObject> printed = new ArrayList<>();
    List<byte[]> pdfs = new ArrayList<>();
    JsonArray failures = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (String id : orderIds) {
      chain = chain.compose(x -> Future.<ShippableOrders.Order>succeededFuture().compose(y -> resolve.apply(id))
          .compose(labels::labelFor)
          .compose(label -> labels.purchase().shippo().download(label.labelUrl()).map(pdf -> {
            printed.add(new JsonObject().put("orderId", id).put("carrier", label.carrier())
                .put("service", label.service()).put("trackingNumber", label.trackingNumber()));
            pdfs.add(pdf.getBytes());
            return (Void) null;
          }))
          .recover(t -> {
            failures.add(failure(id, t));
            return Future.succeededFuture();
          }));
    }
    return chain.compose(x -> pdfs.isEmpty() ? Future.<LabelMerge.Merged>succeededFuture(null)
            : vertx.executeBlocking(() -> LabelMerge.merge(pdfs), false))
        .compose(merged -> {
          String id = "lbb_" + UUID.randomUUID().toString().replace("-", "");
          int pages = merged == null ? 0 : merged.pages();
          JsonArray done = new JsonArray(new ArrayList<>(printed));
          return labels.pool().preparedQuery(LabelSql.INSERT_BATCH).execute(Tuple.tuple().addString(id)
                  .addString(scope).addBuffer(merged == null ? null : Buffer.buffer(merged.pdf())).addInteger(pages)
                  .addValue(done).addValue(failures).addString(createdBy))
              .map(y -> new JsonObject().put("batchId", id).put("pages", pages).put("printed", done)
                  .put("failures", failures).put("pdfUrl", merged == null ? null : pdfPath.apply(id)));
        });
  }

  /** A batch's merged PDF, in the scope it was printed in; 404 otherwise. */
  public Future<Buffer> pdf(String scope, String batchId) {
    return labels.pool().preparedQuery(LabelSql.BATCH).execute(Tuple.of(batchId, scope)).map(rows -> {
      if (rows.size() == 0 || rows.iterator().next().getBuffer("pdf") == null) {
        throw ApiErrors.notFound("Label batch");
      }
      return rows.iterator().next().getBuffer("pdf");
    });
  }

  private static JsonObject failure(String orderId, Throwable t) {
    JsonObject f = new JsonObject().put("orderId", orderId);
    if (t instanceof ApiException e) {
      f.put("error", e.code()).put("message", e.getMessage());
      if (e.details() != null && e.details().getString("field") != null) {
        f.put("field", e.details().getString("field"));
      }
    } else {
      f.put("error", "internal_error").put("message", "Could not print this label");
    }
    return f;
  }
}
