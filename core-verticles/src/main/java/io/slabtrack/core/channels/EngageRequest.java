package io.slabtrack.core.channels;

import io.slabtrack.core.cards.CardInput;
import io.slabtrack.core.cards.InvalidField;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * One card to engage on one channel: {@code price} (cents, the channel's own price; absent = asking price),
 * {@code shop} (storefront slug, required there), {@code lot} (thisorthat: cards sharing it form one lot).
 */
public record EngageRequest(long cardId, Channel channel, Long price, String shop, String lot) {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");

  /** Validates one request; {@code prefix} names the field's place in the body ("" or "[3].") for the 400. */
  public static EngageRequest parse(long cardId, String channelSlug, JsonObject body, String prefix) {
    Channel channel = Channel.of(channelSlug)
        .orElseThrow(() -> new InvalidField(prefix + "channel", "unknown channel '" + channelSlug + "'"));
    if (channel == Channel.PERSONAL) {
      throw new InvalidField(prefix + "channel", "personal is where a card rests: disengage its channels instead");
    }
    Long price = null;
    Object rawPrice = body.getValue("price");
    if (rawPrice != null) {
      if (!(rawPrice instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw new InvalidField(prefix + "price", "price must be a whole number of cents");
      }
      price = n.longValue();
      if (price < 0 || price > CardInput.MAX_CENTS) {
        throw new InvalidField(prefix + "price", "price must be between 0 and " + CardInput.MAX_CENTS + " cents");
      }
    }
    String shop = text(body, "shop", prefix);
    if (channel == Channel.STOREFRONT) {
      if (shop == null) {
        throw new InvalidField(prefix + "shop", "shop (the storefront's slug) is required for storefront");
      }
      if (!SLUG.matcher(shop).matches()) {
        throw new InvalidField(prefix + "shop", "shop must be a slug: lowercase letters, digits and dashes");
      }
    } else if (shop != null) {
      throw new InvalidField(prefix + "shop", "shop only applies to storefront");
    }
    String lot = text(body, "lot", prefix);
    if (lot != null && channel != Channel.THISORTHAT) {
      throw new InvalidField(prefix + "lot", "lots exist on thisorthat only");
    }
    if (lot != null && lot.length() > 100) {
      throw new InvalidField(prefix + "lot", "lot is longer than 100 characters");
    }
    return new EngageRequest(cardId, channel, price, shop, lot);
  }

  private static String text(JsonObject body, String field, String prefix) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw new InvalidField(prefix + field, field + " must be a non-empty string");
    }
    return s.strip();
  }
}
