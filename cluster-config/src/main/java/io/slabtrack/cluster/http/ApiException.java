package io.slabtrack.cluster.http;

import io.vertx.core.json.JsonObject;

/**
 * A failure with an HTTP status and a stable snake_case code, rendered as the JSON error body of
 * API-CONVENTIONS.md. Throw it (or fail a Future with it) anywhere; the router's failure handler renders it.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final JsonObject details;

  public ApiException(int status, String code, String message, JsonObject details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details == null ? new JsonObject() : details;
  }

  public ApiException(int status, String code, String message) {
    this(status, code, message, null);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public JsonObject details() {
    return details;
  }

  public JsonObject toJson() {
    return new JsonObject().put("error", code).put("message", getMessage()).put("details", details);
  }
}
