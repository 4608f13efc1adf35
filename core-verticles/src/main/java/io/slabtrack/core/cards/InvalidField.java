package io.slabtrack.core.cards;

import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonObject;

/**
 * One field of an input that breaks a rule: thrown at the HTTP edge it is the 400 naming the field; in an import
 * it is one row's error; on the bus it becomes a permanent rejection.
 */
public final class InvalidField extends ApiException {
  private final String field;

  public InvalidField(String field, String message) {
    super(400, "invalid_field", message, new JsonObject().put("field", field));
    this.field = field;
  }

  public String field() {
    return field;
  }

  public ApiException toApi() {
    return this;
  }

  public JsonObject rowError() {
    return new JsonObject().put("field", field).put("message", getMessage());
  }
}
