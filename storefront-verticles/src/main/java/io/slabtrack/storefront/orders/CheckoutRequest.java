package io.slabtrack.storefront.orders;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.validation.Emails;
import io.slabtrack.cluster.validation.PostalAddress;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A validated checkout body {@code {cardIds, email, shippingAddress}}; every rule is a 400 naming its field. */
public record CheckoutRequest(List<Long> cardIds, String email, JsonObject shippingAddress) {
  static final int MAX_CARDS = 100;
  private static final Set<String> FIELDS = Set.of("cardIds", "email", "shippingAddress");

  public static CheckoutRequest parse(JsonObject body) {
    for (String key : body.fieldNames()) {
      if (!FIELDS.contains(key)) {
        throw ApiErrors.invalidField(key, "unknown field " + key);
      }
    }
    if (!(body.getValue("cardIds") instanceof JsonArray raw) || raw.isEmpty() || raw.size() > MAX_CARDS) {
      throw ApiErrors.invalidField("cardIds", "cardIds must be an array of 1 to " + MAX_CARDS + " card ids");
    }
    Set<Long> ids = new LinkedHashSet<>();
    for (Object o : raw) {
      if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() <= 0) {
        throw ApiErrors.invalidField("cardIds", "card ids are positive integers");
      }
      if (!ids.add(n.longValue())) {
        throw ApiErrors.invalidField("cardIds", "card id " + n.longValue() + " appears twice");
      }
    }
    // the shared rules every app and page applies (cluster-config's validation package)
    String email = Emails.address(body.getValue("email"), "email");
    JsonObject address = PostalAddress.parse(body.getValue("shippingAddress"), "shippingAddress");
    return new CheckoutRequest(new ArrayList<>(ids), email, address);
  }
}
