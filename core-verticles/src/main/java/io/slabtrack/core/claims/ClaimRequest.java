package io.slabtrack.core.claims;

import io.slabtrack.core.cards.InvalidField;
import io.slabtrack.core.channels.Channel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A channel's claim on an order's cards (EVENT-BUS.md, {@code core.sale.claim}), validated. */
public record ClaimRequest(String claimId, Channel channel, String orderRef, String lockRef, List<Long> cardIds,
                           long amountCents, Instant authExpiresAt) {
  public static final int MAX_CARDS = 100;

  public static ClaimRequest parse(JsonObject body) {
    if (body == null) {
      throw new InvalidField("body", "a JSON object is required");
    }
    String claimId = text(body, "claimId", true);
    Channel channel = Channel.of(text(body, "channel", true))
        .filter(c -> c != Channel.PERSONAL)
        .orElseThrow(() -> new InvalidField("channel", "channel must be a selling channel's slug"));
    String orderRef = text(body, "orderRef", true);
    String lockRef = text(body, "lockRef", false);
    Object rawIds = body.getValue("cardIds");
    if (!(rawIds instanceof JsonArray ids) || ids.isEmpty() || ids.size() > MAX_CARDS) {
      throw new InvalidField("cardIds", "cardIds must be an array of 1 to " + MAX_CARDS + " card ids");
    }
    Set<Long> cardIds = new LinkedHashSet<>();
    for (Object o : ids) {
      if (!(o instanceof Number n) || n.longValue() < 1 || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw new InvalidField("cardIds", "card ids are positive integers");
      }
      cardIds.add(n.longValue());
    }
    Object amount = body.getValue("amountCents");
    if (!(amount instanceof Number a) || a.longValue() < 0 || a.doubleValue() != Math.rint(a.doubleValue())) {
      throw new InvalidField("amountCents", "amountCents must be a non-negative whole number of cents");
    }
    Instant authExpiresAt;
    try {
      authExpiresAt = Instant.parse(text(body, "authExpiresAt", true));
    } catch (DateTimeParseException e) {
      throw new InvalidField("authExpiresAt", "authExpiresAt must be an ISO-8601 UTC time");
    }
    return new ClaimRequest(claimId, channel, orderRef, lockRef, new ArrayList<>(cardIds), a.longValue(),
        authExpiresAt);
  }

  static String text(JsonObject body, String field, boolean required) {
    Object v = body.getValue(field);
    if (v == null && !required) {
      return null;
    }
    if (!(v instanceof String s) || s.isBlank() || s.length() > 200) {
      throw new InvalidField(field, field + " must be a non-empty string of at most 200 characters");
    }
    return s;
  }
}
