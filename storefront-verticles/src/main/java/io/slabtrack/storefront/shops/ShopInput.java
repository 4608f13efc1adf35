package io.slabtrack.storefront.shops;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.validation.Emails;
import io.slabtrack.cluster.validation.PostalAddress;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of shop bodies (create and patch): every rule answers 400 naming its field, nothing changed. */
public final class ShopInput {
  private static final Pattern SLUG = Pattern.compile("^[a-z0-9-]{3,40}$");
  private static final Set<String> CREATE_FIELDS = Set.of("slug", "name", "ownerId", "bio", "bannerUrl", "theme",
      "shipFrom", "orderMailTo");
  private static final Set<String> PATCH_FIELDS = Set.of("name", "ownerId", "bio", "bannerUrl", "theme", "shipFrom",
      "orderMailTo");

  private ShopInput() {
  }

  public static String slug(Object value) {
    if (!(value instanceof String s) || !SLUG.matcher(s).matches()) {
      throw ApiErrors.invalidField("slug", "slug must be 3-40 characters of lowercase letters, digits and hyphens");
    }
    return s;
  }

  /** A full shop for creation; {@code ownerId} defaults to the creating operator. */
  public static JsonObject create(JsonObject body, String defaultOwner) {
    unknownFields(body, CREATE_FIELDS);
    JsonObject out = new JsonObject().put("slug", slug(body.getValue("slug")));
    out.put("name", name(body.getValue("name")));
    out.put("ownerId", body.containsKey("ownerId") ? owner(body.getValue("ownerId")) : defaultOwner);
    out.put("bio", text(body.getValue("bio"), "bio", 2000));
    out.put("bannerUrl", url(body.getValue("bannerUrl")));
    out.put("theme", body.getValue("theme") == null ? Theme.defaults() : Theme.parse(body.getValue("theme")));
    out.put("shipFrom", body.getValue("shipFrom") == null ? null : PostalAddress.parse(body.getValue("shipFrom"), "shipFrom"));
    out.put("orderMailTo", mailTo(body.getValue("orderMailTo")));
    return out;
  }

  /** Where "new order" notices go: an email address, or null for none. */
  private static String mailTo(Object value) {
    if (value == null) {
      return null;
    }
    return Emails.address(value, "orderMailTo");
  }

  /** Only the fields present; {@code ownerId} only for operators (403 otherwise). */
  public static JsonObject patch(JsonObject body, boolean operator) {
    unknownFields(body, PATCH_FIELDS);
    if (body.isEmpty()) {
      throw ApiErrors.badRequest("empty_patch", "Nothing to change", null);
    }
    JsonObject out = new JsonObject();
    if (body.containsKey("name")) {
      out.put("name", name(body.getValue("name")));
    }
    if (body.containsKey("ownerId")) {
      if (!operator) {
        throw ApiErrors.forbidden("no_access", "Only an operator can hand a shop to another owner");
      }
      out.put("ownerId", owner(body.getValue("ownerId")));
    }
    if (body.containsKey("bio")) {
      out.put("bio", text(body.getValue("bio"), "bio", 2000));
    }
    if (body.containsKey("bannerUrl")) {
      out.put("bannerUrl", url(body.getValue("bannerUrl")));
    }
    if (body.containsKey("theme")) {
      out.put("theme", Theme.parse(body.getValue("theme")));
    }
    if (body.containsKey("shipFrom")) {
      out.put("shipFrom", body.getValue("shipFrom") == null ? null : PostalAddress.parse(body.getValue("shipFrom"), "shipFrom"));
    }
    if (body.containsKey("orderMailTo")) {
      out.put("orderMailTo", mailTo(body.getValue("orderMailTo")));
    }
    return out;
  }

  private static String name(Object value) {
    String s = text(value, "name", 120);
    if (s == null || s.isBlank()) {
      throw ApiErrors.invalidField("name", "name is required (1-120 characters)");
    }
    return s.strip();
  }

  private static String owner(Object value) {
    if (!(value instanceof String s) || s.isBlank() || s.length() > 200) {
      throw ApiErrors.invalidField("ownerId", "ownerId must be a user id");
    }
    return s;
  }

  private static String text(Object value, String field, int max) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.length() > max) {
      throw ApiErrors.invalidField(field, field + " must be text of at most " + max + " characters");
    }
    return s;
  }

  private static String url(Object value) {
    String s = text(value, "bannerUrl", 2000);
    if (s == null) {
      return null;
    }
    try {
      URI uri = URI.create(s);
      if ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) {
        return s;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the 400
    }
    throw ApiErrors.invalidField("bannerUrl", "bannerUrl must be an http(s) URL");
  }

  private static void unknownFields(JsonObject body, Set<String> allowed) {
    unknownFields(body, allowed, "");
  }

  private static void unknownFields(JsonObject body, Set<String> allowed, String prefix) {
    for (String key : body.fieldNames()) {
      if (!allowed.contains(key)) {
        throw ApiErrors.invalidField(prefix + key, "unknown field " + prefix + key);
      }
    }
  }
}
