package io.slabtrack.storefront.shipping;

import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.shipping.LabelMerge;
import io.slabtrack.storefront.orders.ShopOrders;
import io.slabtrack.storefront.shops.Shop;
import io.slabtrack.storefront.shops.Shops;
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

/**
 * Bulk print: the selected orders' labels in one PDF, one 4×6 page each, in the order selected. An order without a
 * label gets one bought first (the same once-only purchase as a click); an order that can't be printed (not paid,
 * an address Shippo rejects, another shop's) is listed with why and the rest are printed. Orders are handled one
 * after another, which keeps Shippo's rate limits and our pool calm; the merged PDF is kept for reprinting.
 */
public final class LabelBatches {
  public static final int MAX_ORDERS = 100;

  private final Vertx vertx;
  private final Labels labels;
  private final ShopOrders shopOrders;

  public LabelBatches(Vertx vertx, Labels labels, ShopOrders shopOrders) {
    this.vertx = vertx;
    this.labels = labels;
    this.shopOrders = shopOrders;
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

  public Future<JsonObject> print(String slug, List<String> orderIds, VerifiedToken who) {
    return Shops.get(labels.pool(), slug).compose(shop -> {
      shop.requireAccess(who);
      List<JsonObject> printed = new ArrayList<>();
      List<byte[]> pdfs = new ArrayList<>();
      JsonArray failures = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (String id : orderIds) {
        chain = chain.compose(x -> one(shop, id, who).map(entry -> {
          printed.add(entry.info());
          pdfs.add(entry.pdf());
          return (Void) null;
        }).recover(t -> {
          failures.add(failure(id, t));
          return Future.succeededFuture();
        }));
      }
      return chain.compose(x -> pdfs.isEmpty() ? Future.succeededFuture(null)
              : vertx.executeBlocking(() -> LabelMerge.merge(pdfs), false))
          .compose(merged -> store(shop, merged, printed, failures, who));
    });
  }

  public Future<Buffer> pdf(String slug, String batchId, VerifiedToken who) {
    return Shops.get(labels.pool(), slug).compose(shop -> {
      shop.requireAccess(who);
      return labels.pool().preparedQuery(LabelSql.BATCH).execute(Tuple.of(batchId, slug));
    }).map(rows -> {
      if (rows.size() == 0 || rows.iterator().next().getBuffer("pdf") == null) {
        throw ApiErrors.notFound("Label batch");
      }
      return rows.iterator().next().getBuffer("pdf");
    });
  }

  private record Entry(JsonObject info, byte[] pdf) {
  }

  private Future<Entry> one(Shop shop, String orderId, VerifiedToken who) {
    return shopOrders.owned(shop.slug(), orderId, who)
        .compose(order -> labels.labelFor(shop, order, true))
        .compose(label -> labels.purchase().shippo().download(label.labelUrl()).map(pdf -> new Entry(
            new JsonObject().put("orderId", orderId).put("carrier", label.carrier()).put("service", label.service())
                .put("trackingNumber", label.trackingNumber()), pdf.getBytes())));
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

  private Future<JsonObject> store(Shop shop, LabelMerge.Merged merged, List<JsonObject> printed, JsonArray failures,
                                   VerifiedToken who) {
    String id = "lbb_" + UUID.randomUUID().toString().replace("-", "");
    int pages = merged == null ? 0 : merged.pages();
    JsonArray done = new JsonArray(new ArrayList<>(printed));
    return labels.pool().preparedQuery(LabelSql.INSERT_BATCH).execute(Tuple.tuple().addString(id)
            .addString(shop.slug()).addBuffer(merged == null ? null : Buffer.buffer(merged.pdf())).addInteger(pages)
            .addValue(done).addValue(failures).addString(who.subject()))
        .map(x -> new JsonObject().put("batchId", id).put("pages", pages).put("printed", done)
            .put("failures", failures).put("pdfUrl", merged == null ? null
                : "/api/storefronts/" + shop.slug() + "/labels/batches/" + id + "/pdf"));
  }
}
