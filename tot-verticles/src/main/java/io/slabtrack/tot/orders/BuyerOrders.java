package io.slabtrack.tot.orders;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The buyer's order by its private link (order id and the token from the receipt), for
 * {@code GET /api/orders/{id}} and the order page alike.
 */
public final class BuyerOrders {
  private final Pool pool;

  public BuyerOrders(Pool pool) {
    this.pool = pool;
  }

  /** The order as the buyer sees it; the same 404 for an unknown order and a wrong token (the link is the only key). */
  public Future<JsonObject> find(String orderId, String token) {
    return pool.preparedQuery(OrdersSql.BY_ID).execute(Tuple.of(orderId)).map(rows -> {
      Row r = rows.rowCount() == 0 ? null : rows.iterator().next();
      if (r == null || token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
          r.getString("status_token").getBytes(StandardCharsets.UTF_8))) {
        throw ApiErrors.notFound("Order");
      }
      return OrderJson.buyer(r);
    });
  }

  /** The private link of the order a play became, or null while there is none. */
  public Future<String> linkOfPlay(String playId) {
    return pool.preparedQuery(OrdersSql.LINK_BY_PLAY).execute(Tuple.of(playId)).map(rows -> {
      if (rows.rowCount() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return href(r.getString("id"), r.getString("status_token"));
    });
  }

  public static String href(String orderId, String token) {
    return "/orders/" + orderId + "?token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);
  }
}
