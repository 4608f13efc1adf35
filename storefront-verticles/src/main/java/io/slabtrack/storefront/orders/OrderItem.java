package io.slabtrack.storefront.orders;

import io.vertx.core.json.JsonObject;

/** One card of an order as it was sold: its price and the card snapshot at checkout time. */
public record OrderItem(long cardId, long priceCents, JsonObject snapshot) {
}
