package io.slabtrack.cluster.bridge;

import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.auth.TokenType;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Tokens for the TCP bridge: the service type ({@code typ: service}) with {@code aud: "bridge"}, {@code sub:
 * client:<name>} and a {@code scopes} array ({@link BridgeScopes}). The audience keeps them apart from the apps'
 * own service tokens: an app accepts only tokens for itself, and the bridge only tokens for the bridge.
 */
public final class BridgeTokens {
  public static final String AUDIENCE = "bridge";
  public static final String SUBJECT_PREFIX = "client:";

  private BridgeTokens() {
  }

  public static String mint(TokenService tokens, String client, Collection<String> scopes, Duration ttl) {
    if (client == null || !client.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException("client name: lower-case letters, digits, '.', '_' and '-', at most 63");
    }
    for (String scope : scopes) {
      if (!BridgeScopes.REQUESTS.containsKey(scope)) {
        throw new IllegalArgumentException("unknown scope " + scope + "; known: " + BridgeScopes.ALL);
      }
    }
    return tokens.mint(new JsonObject().put("sub", SUBJECT_PREFIX + client).put("aud", AUDIENCE)
        .put("typ", TokenType.SERVICE.claim()).put("scopes", new JsonArray(scopes.stream().distinct().sorted()
            .toList())), ttl);
  }

  /** The scopes of a verified service token meant for the bridge; a failed future for any other token. */
  static Future<List<String>> scopesOf(VerifiedToken token) {
    if (!token.audience().contains(AUDIENCE) || token.subject() == null
        || !token.subject().startsWith(SUBJECT_PREFIX)) {
      return Future.failedFuture(new ApiException(401, "unauthorized", "not a bridge token"));
    }
    List<String> scopes = new ArrayList<>();
    Object raw = token.claims().getValue("scopes");
    if (raw instanceof JsonArray array) {
      array.forEach(s -> {
        if (s instanceof String str) {
          scopes.add(str);
        }
      });
    }
    return Future.succeededFuture(List.copyOf(scopes));
  }
}
