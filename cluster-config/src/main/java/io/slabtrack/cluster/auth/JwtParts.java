package io.slabtrack.cluster.auth;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The unverified header and payload of a compact JWS, read before any key is touched so that the algorithm
 * can be pinned and the key chosen by {@code kid}. Nothing read here is trusted until the signature checks
 * out; it only decides which checks run.
 */
record JwtParts(JsonObject header, JsonObject payload) {
  /** Our tokens are a few hundred bytes; the cap keeps a hostile header from costing us decoding work. */
  static final int MAX_TOKEN_CHARS = 8 * 1024;
  static final String ALGORITHM = "HS256";
  private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  static JwtParts parse(String token) {
    if (token == null || token.isEmpty()) {
      throw reject("Missing token");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw reject("Token is too large");
    }
    // Three non-empty base64url segments: this also refuses unsigned "header.payload." tokens outright.
    if (!COMPACT_JWS.matcher(token).matches()) {
      throw reject("Malformed token");
    }
    int firstDot = token.indexOf('.');
    int secondDot = token.indexOf('.', firstDot + 1);
    JsonObject header = decodeObject(token.substring(0, firstDot));
    JsonObject payload = decodeObject(token.substring(firstDot + 1, secondDot));

    // Pinned: a token names its own algorithm, so trusting that name is how "none" and RS256-over-the-HMAC-
    // secret confusion attacks work. We only ever issue HS256.
    if (!ALGORITHM.equals(header.getValue("alg"))) {
      throw reject("Unsupported token algorithm");
    }
    // "crit" lists header extensions the verifier must understand; we understand none (RFC 7515 §4.1.11).
    if (header.containsKey("crit")) {
      throw reject("Unsupported token header");
    }
    Object kid = header.getValue("kid");
    if (kid != null && !(kid instanceof String)) {
      throw reject("Malformed token");
    }
    return new JwtParts(header, payload);
  }

  /** The {@code kid} header; empty means "the current key". */
  Optional<String> kid() {
    return Optional.ofNullable(header.getString("kid"));
  }

  static ApiException reject(String safeMessage) {
    return ApiErrors.unauthorized(safeMessage);
  }

  private static JsonObject decodeObject(String segment) {
    Object decoded;
    try {
      decoded = Json.decodeValue(new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      decoded = null;
    }
    // Bad base64, bad JSON, or JSON that is not an object ("null", an array, a string): all the same to us.
    if (!(decoded instanceof JsonObject object)) {
      throw reject("Malformed token");
    }
    return object;
  }
}
