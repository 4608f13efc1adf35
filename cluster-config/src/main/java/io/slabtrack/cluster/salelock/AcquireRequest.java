package io.slabtrack.cluster.salelock;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated lock request: 1–100 distinct positive card ids, a known channel, a 16–64 character URL-safe lockRef,
 * a TTL within (0, max]. Anything else is a 400 naming the field, before the map is touched.
 */
public record AcquireRequest(List<Long> cardIds, String channel, String lockRef, String orderRef, Duration ttl) {
  public static final int MAX_CARDS = 100;
  private static final Pattern LOCK_REF = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Set<String> CHANNELS = Set.of("personal", "thisorthat", "storefront", "showcase", "repack",
      "ebay", "whatnot");

  /** Parses the JSON body of the HTTP and bus APIs ({@code channelSlug} is the original's name for channel). */
  public static AcquireRequest fromJson(JsonObject body, Duration defaultTtl, Duration maxTtl) {
    if (body == null) {
      throw ApiErrors.badRequest("invalid_body", "Send a JSON object", null);
    }
    Object rawCards = body.getValue("cardIds");
    if (!(rawCards instanceof JsonArray cards)) {
      throw ApiErrors.invalidField("cardIds", "cardIds must be an array of card ids");
    }
    String channel = body.getValue("channel") != null ? text(body, "channel") : text(body, "channelSlug");
    Duration ttl = defaultTtl;
    if (body.getValue("ttlSeconds") != null) {
      if (!(body.getValue("ttlSeconds") instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw ApiErrors.invalidField("ttlSeconds", "ttlSeconds must be a whole number of seconds");
      }
      ttl = Duration.ofSeconds(n.longValue());
    }
    String orderRef = body.getValue("orderRef") == null ? null : text(body, "orderRef");
    return of(longs(cards), channel, text(body, "lockRef"), orderRef, ttl, maxTtl);
  }

  public static AcquireRequest of(List<Long> cardIds, String channel, String lockRef, String orderRef, Duration ttl,
                                  Duration maxTtl) {
    if (cardIds.isEmpty() || cardIds.size() > MAX_CARDS) {
      throw ApiErrors.invalidField("cardIds", "cardIds must hold 1 to " + MAX_CARDS + " card ids");
    }
    Set<Long> seen = new HashSet<>();
    for (Long id : cardIds) {
      if (id == null || id <= 0) {
        throw ApiErrors.invalidField("cardIds", "card ids are positive integers");
      }
      if (!seen.add(id)) {
        throw ApiErrors.invalidField("cardIds", "card id " + id + " appears twice");
      }
    }
    if (channel == null || !CHANNELS.contains(channel)) {
      throw ApiErrors.invalidField("channel", "unknown channel '" + channel + "'");
    }
    requireLockRef(lockRef);
    if (orderRef != null && (orderRef.isEmpty() || orderRef.length() > 128)) {
      throw ApiErrors.invalidField("orderRef", "orderRef must be 1–128 characters");
    }
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(maxTtl) > 0) {
      throw ApiErrors.invalidField("ttlSeconds", "ttlSeconds must be between 1 and " + maxTtl.toSeconds());
    }
    return new AcquireRequest(List.copyOf(cardIds), channel, lockRef, orderRef, ttl);
  }

  public static void requireLockRef(String lockRef) {
    if (lockRef == null || !LOCK_REF.matcher(lockRef).matches()) {
      throw ApiErrors.invalidField("lockRef", "lockRef must be 16–64 URL-safe characters (A-Z a-z 0-9 _ -)");
    }
  }

  private static String text(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw ApiErrors.invalidField(field, field + " must be a string");
    }
    return (String) v;
  }

  static List<Long> longs(JsonArray array) {
    List<Long> out = new ArrayList<>(array.size());
    for (Object o : array) {
      if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw new ApiException(400, "invalid_field", "card ids are integers",
            new JsonObject().put("field", "cardIds"));
      }
      out.add(n.longValue());
    }
    return out;
  }
}
