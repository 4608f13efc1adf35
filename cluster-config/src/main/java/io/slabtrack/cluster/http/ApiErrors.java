package io.slabtrack.cluster.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Factories for the error answers every app gives, so codes and shapes stay identical across apps. */
public final class ApiErrors {
  private ApiErrors() {
  }

  public static ApiException badRequest(String code, String message, String field) {
    return new ApiException(400, code, message, field == null ? null : new JsonObject().put("field", field));
  }

  public static ApiException invalidField(String field, String message) {
    return badRequest("invalid_field", message, field);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message);
  }

  public static ApiException forbidden(String code, String message) {
    return new ApiException(403, code, message);
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not_found", what + " not found");
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }

  public static ApiException conflicts(String code, String message, JsonArray conflicts) {
    return new ApiException(409, code, message, new JsonObject().put("conflicts", conflicts));
  }

  public static ApiException unprocessable(String code, String message) {
    return new ApiException(422, code, message);
  }

  public static ApiException unavailable(String code, String message) {
    return new ApiException(503, code, message);
  }
}
