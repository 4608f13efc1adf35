package io.slabtrack.cluster.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the OpenAPI validator's refusals into our 400 body naming the field ({@code details.field}: a parameter
 * name, or a JSON pointer-ish path into the body such as {@code price} or {@code [3].cardId}); every other
 * failure goes to the shared {@link FailureHandler}. Every app's validated API answers through it: core's operator
 * API (RouterBuilder) and the satellites' ({@link ContractValidation}), so one bad input gets one 400 shape.
 */
public final class ValidationFailures implements Handler<RoutingContext> {
  private static final Pattern PARAMETER = Pattern.compile("parameter (\\S+?)[ .:,]");
  private final FailureHandler shared = new FailureHandler();

  @Override
  public void handle(RoutingContext rc) {
    ValidatorException v = validation(rc.failure());
    if (v == null) {
      shared.handle(rc);
      return;
    }
    Responses.error(rc, error(v));
  }

  /** Our answer to one refusal: 400 naming the field, or 415 for a body that isn't JSON. */
  public static ApiException error(ValidatorException v) {
    if (v.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && "body".equals(field(v))) {
      // the same answer as the apps' other JSON routes: a body that isn't application/json is refused as such
      return new ApiException(415, "unsupported_media_type", "Send application/json");
    }
    return ApiErrors.invalidField(field(v), describe(v));
  }

  /** The validator's refusal behind a failure, or null when it is some other failure. */
  public static ValidatorException validation(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ValidatorException v) {
        return v;
      }
    }
    return null;
  }

  /** The field a refusal names. */
  public static String field(ValidatorException v) {
    if (v instanceof SchemaValidationException s && s.getOutputUnit() != null) {
      OutputUnit deepest = deepest(s.getOutputUnit());
      String location = deepest.getInstanceLocation();
      String fromMessage = paramName(v.getMessage());
      if (fromMessage != null && !v.getMessage().contains("request body")) {
        return fromMessage;
      }
      String path = pointerToPath(location);
      String missing = missingProperty(deepest.getError());
      if (missing != null) {
        return path.isEmpty() ? missing : path + "." + missing;
      }
      return path.isEmpty() ? "body" : path;
    }
    String p = paramName(v.getMessage());
    return p != null ? p : v.getMessage() != null && v.getMessage().contains("body") ? "body" : "request";
  }

  private static OutputUnit deepest(OutputUnit unit) {
    OutputUnit best = unit;
    if (unit.getErrors() != null) {
      for (OutputUnit child : unit.getErrors()) {
        OutputUnit d = deepest(child);
        // deeper instance first; at equal depth the more specific keyword (…/properties/price/minimum beats
        // …/additionalProperties, which the validator also reports for a property failing its own schema)
        if (depth(d) > depth(best) || (depth(d) == depth(best) && keywordLength(d) > keywordLength(best))) {
          best = d;
        }
      }
    }
    return best;
  }

  private static int keywordLength(OutputUnit u) {
    return u.getKeywordLocation() == null ? 0 : u.getKeywordLocation().length();
  }

  private static int depth(OutputUnit u) {
    String loc = u.getInstanceLocation();
    return loc == null ? -1 : loc.length() - loc.replace("/", "").length();
  }

  /** "#/3/cardId" or "/3/cardId" → "[3].cardId" */
  private static String pointerToPath(String pointer) {
    if (pointer == null) {
      return "";
    }
    String p = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    StringBuilder out = new StringBuilder();
    for (String seg : p.split("/")) {
      if (seg.isEmpty()) {
        continue;
      }
      if (seg.chars().allMatch(Character::isDigit)) {
        out.append('[').append(seg).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(seg);
      }
    }
    return out.toString();
  }

  private static String missingProperty(String error) {
    if (error == null) {
      return null;
    }
    Matcher m = Pattern.compile("required property ['\"]?([A-Za-z0-9_]+)").matcher(error);
    if (m.find()) {
      return m.group(1);
    }
    m = Pattern.compile("[Pp]roperty ['\"]?([A-Za-z0-9_]+)['\"]? .*(not allowed|false)").matcher(error);
    return m.find() ? m.group(1) : null;
  }

  private static String paramName(String message) {
    if (message == null) {
      return null;
    }
    Matcher m = PARAMETER.matcher(message + " ");
    return m.find() ? m.group(1) : null;
  }

  private static String describe(ValidatorException v) {
    if (v instanceof SchemaValidationException s && s.getOutputUnit() != null) {
      OutputUnit d = deepest(s.getOutputUnit());
      String where = pointerToPath(d.getInstanceLocation());
      return d.getError() == null ? v.getMessage() : (where.isEmpty() ? "body" : where) + ": " + d.getError();
    }
    return v.getMessage();
  }
}
