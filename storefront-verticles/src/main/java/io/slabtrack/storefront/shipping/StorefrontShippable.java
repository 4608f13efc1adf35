package io.slabtrack.storefront.shipping;

import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.shipping.ShippableOrders;
import io.slabtrack.storefront.orders.ShopOrders;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

/** Storefront orders for shipping: the shop's own ship-from when it has one, ShopOrders' one ship transition. */
final class StorefrontShippable implements ShippableOrders {
  private final Pool pool;
  private final ShopOrders shopOrders;

  StorefrontShippable(Pool pool, ShopOrders shopOrders) {
    this.pool = pool;
    this.shopOrders = shopOrders;
  }

  /** The shop's order if {@code who} may manage the shop (403/404 otherwise, as ShopOrders answers). */
  Future<ShippableOrders.Order> owned(String slug, String orderId, VerifiedToken who) {
    return shopOrders.owned(slug, orderId, who).compose(this::of);
  }

  @Override
  public Future<ShippableOrders.Order> read(String orderId) {
    return shopOrders.order(orderId).compose(this::of);
  }

  private Future<ShippableOrders.Order> of(io.slabtrack.storefront.orders.Order o) {
    if (o == null) {
      return Future.failedFuture(ApiErrors.notFound("Order"));
    }
    return Shops.get(pool, o.shop()).map(shop -> new ShippableOrders.Order(o.id(), o.state(), o.shippingAddress(),
        o.amountCents(), o.cardIds().size(), shop.shipFrom()));
  }

  @Override
  public Future<Void> markShipped(SqlConnection tx, String orderId, JsonObject shipment) {
    return ShopOrders.markShipped(tx, orderId, shipment);
  }

  @Override
  public Future<Void> unship(SqlConnection tx, String orderId) {
    return ShopOrders.unship(tx, orderId);
  }

  @Override
  public String metadata(String orderId) {
    return "storefront:" + orderId;
  }
}
