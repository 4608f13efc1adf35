package io.slabtrack.tot.plays;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.validation.Emails;
import io.slabtrack.cluster.validation.PostalAddress;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code {listingIds, email, shippingAddress, payment?}}, checked for shape only (400); game rules are
 * {@link PlayRules}. Java callers (the web pages) build one with {@link #of}; both ways go through the same checks.
 */
public record PlayRequest(List<Long> listingIds, String email, JsonObject shippingAddress, PaymentMode payment) {
  /**
   * How the buyer pays: {@code ELEMENTS} (the default) answers a PaymentIntent's client secret for an API client
   * that confirms it with Stripe Elements; {@code CHECKOUT} answers the URL of a Stripe-hosted Checkout page.
   */
  public enum PaymentMode {
    ELEMENTS, CHECKOUT;

    /** The JSON spelling: {@code "elements"} or {@code "checkout"}. */
    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static PaymentMode parse(Object value) {
      if (value == null) {
        return ELEMENTS;
      }
      for (PaymentMode m : values()) {
        if (m.json().equals(value)) {
          return m;
        }
      }
      throw ApiErrors.invalidField("payment", "payment must be \"elements\" (the default) or \"checkout\"");
    }
  }

  static final int MAX_LISTINGS = 25;

  public static PlayRequest parse(JsonObject body) {
    Object ids = body.getValue("listingIds");
    if (!(ids instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_LISTINGS) {
      throw ApiErrors.invalidField("listingIds", "listingIds must be an array of 1–" + MAX_LISTINGS + " listing ids");
    }
    List<Long> listingIds = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (Object v : list) {
      if (!(v instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() <= 0) {
        throw ApiErrors.invalidField("listingIds", "listing ids are positive integers");
      }
      if (!seen.add(n.longValue())) {
        throw ApiErrors.invalidField("listingIds", "listing " + n + " appears twice: each option counts once");
      }
      listingIds.add(n.longValue());
    }
    // the shared rules every app and page applies (cluster-config's validation package)
    String email = Emails.address(body.getValue("email"), "email");
    JsonObject address = PostalAddress.parse(body.getValue("shippingAddress"), "shippingAddress");
    PaymentMode payment = PaymentMode.parse(body.getValue("payment"));
    return new PlayRequest(List.copyOf(listingIds), email, address, payment);
  }

  /**
   * A request built in Java (the web pages), checked exactly as a JSON body is.
   *
   * @param shippingAddress a {@link PostalAddress}
   * @throws io.slabtrack.cluster.http.ApiException 400 naming the first bad field
   */
  public static PlayRequest of(List<Long> listingIds, String email, JsonObject shippingAddress, PaymentMode payment) {
    JsonObject body = new JsonObject().put("listingIds", new JsonArray(new ArrayList<>(listingIds)))
        .put("email", email).put("shippingAddress", shippingAddress);
    if (payment != null) {
      body.put("payment", payment.json());
    }
    return parse(body);
  }

  /** What a retry with the same Idempotency-Key must repeat (the default mode adds nothing, as before it existed). */
  JsonObject toJson() {
    JsonObject o = new JsonObject().put("listingIds", new JsonArray(listingIds.stream().sorted().toList()))
        .put("email", email).put("shippingAddress", shippingAddress);
    return payment == PaymentMode.ELEMENTS ? o : o.put("payment", payment.json());
  }
}
