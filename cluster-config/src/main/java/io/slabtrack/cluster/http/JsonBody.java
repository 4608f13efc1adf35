package io.slabtrack.cluster.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Reads a request body that must be one JSON object; anything else is a 400 {@code invalid_json}. The body must
 * also be declared as JSON (415 otherwise): an HTML form on another site can post {@code text/plain} that happens
 * to parse as JSON, but not {@code application/json} without a CORS preflight we never grant, so this closes the
 * cross-site path to JSON routes that no cookie guards (login CSRF, for one).
 */
public final class JsonBody {
  private JsonBody() {
  }

  public static JsonObject object(RoutingContext ctx) {
    if (!declaredJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      throw new ApiException(415, "unsupported_media_type", "Send the body as application/json");
    }
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null) {
        return body;
      }
    } catch (RuntimeException e) {
      // not JSON, or JSON but not an object: same answer
    }
    throw ApiErrors.badRequest("invalid_json", "The body must be a JSON object", null);
  }

  /** {@code application/json} or a {@code +json} type, with or without parameters. */
  static boolean declaredJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
  }
}
