package io.slabtrack.cluster.testing;

import io.slabtrack.cluster.web.ApiDocs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An app's OpenAPI document as a check on its answers: a test helper hands every response it got to
 * {@link #check}, which fails the test when the matched operation documents a JSON schema for that status and the
 * body does not match it. Operations, statuses or bodies the document leaves without a schema pass untouched, so
 * the check grows with the document.
 */
public final class ResponseContract {
  private static final Map<String, ResponseContract> LOADED = new ConcurrentHashMap<>();
  // the validator runs its checks through executeBlocking; a Vert.x of its own outlives every test node
  private static volatile Vertx vertx;

  private final OpenAPIContract contract;
  private final ResponseValidator validator;

  private ResponseContract(OpenAPIContract contract, Vertx vertx) {
    this.contract = contract;
    this.validator = ResponseValidator.create(vertx, contract);
  }

  /** The document at classpath {@code resource} (as the app serves it), loaded once per JVM. */
  public static ResponseContract of(String resource) {
    return LOADED.computeIfAbsent(resource, r -> {
      Vertx v = vertx();
      JsonObject document = new JsonObject(ApiDocs.readDocument(ResponseContract.class, r));
      try {
        return new ResponseContract(OpenAPIContract.from(v, document).await(30, TimeUnit.SECONDS), v);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("loading " + r + " timed out", e);
      }
    });
  }

  private static synchronized Vertx vertx() {
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    return vertx;
  }

  /**
   * Checks one answer; {@code target} is the request's path, with or without its query, {@code headers} the
   * response's (any case).
   *
   * @throws AssertionError naming the method, path, status and the validator's reason when the body breaks the
   *     documented schema
   */
  public void check(String method, String target, int status, Map<String, List<String>> headers, String body) {
    String path = URI.create(target).getPath();
    Operation operation = contract.findOperation(path, HttpMethod.valueOf(method.toUpperCase()));
    if (operation == null) {
      return;
    }
    Response documented = operation.getResponse(status);
    if (documented == null) {
      documented = operation.getDefaultResponse();
    }
    if (documented == null) {
      return;
    }
    String contentType = mediaType(headers);
    MediaType media = documented.getContent().get(contentType);
    if (media == null || media.getSchema() == null || !isJson(contentType)) {
      return;
    }
    Map<String, String> flat = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> {
      if (k != null && !v.isEmpty()) {
        flat.put(k, v.get(0));
      }
    });
    ValidatableResponse response = ValidatableResponse.create(status, flat,
        body == null ? null : Buffer.buffer(body), contentType);
    try {
      validator.validate(response, operation.getOperationId()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(method.toUpperCase() + " " + target + " answered " + status
          + " against the documented schema of " + operation.getOperationId() + ": " + reason(e) + "\nbody: "
          + abbreviate(body), e);
    }
  }

  private static String mediaType(Map<String, List<String>> headers) {
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if ("content-type".equalsIgnoreCase(h.getKey()) && !h.getValue().isEmpty()) {
        String value = h.getValue().get(0);
        int semi = value.indexOf(';');
        return (semi < 0 ? value : value.substring(0, semi)).trim().toLowerCase();
      }
    }
    return "";
  }

  private static boolean isJson(String contentType) {
    return contentType.equals("application/json") || MediaType.isVendorSpecificJson(contentType);
  }

  private static String reason(Throwable thrown) {
    Throwable e = thrown;
    while (!(e instanceof io.vertx.openapi.validation.ValidatorException) && e.getCause() != null) {
      e = e.getCause();
    }
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    if (e instanceof SchemaValidationException s && s.getOutputUnit() != null && s.getOutputUnit().getErrors() != null) {
      s.getOutputUnit().getErrors().forEach(u -> out.append("\n  ").append(u.getInstanceLocation()).append(": ")
          .append(u.getError()));
    }
    return out.toString();
  }

  private static String abbreviate(String body) {
    return body == null || body.length() <= 2000 ? body : body.substring(0, 2000) + "…";
  }
}
