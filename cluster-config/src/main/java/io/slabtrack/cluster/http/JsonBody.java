package io.slabtrack.cluster.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads a request body that must be one JSON object; anything else is a 400 {@code invalid_json}. */
public final class JsonBody {
  private JsonBody() {
  }

  public static JsonObject object(RoutingContext ctx) {
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
}
