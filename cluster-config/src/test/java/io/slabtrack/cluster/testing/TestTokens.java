package io.slabtrack.cluster.testing;

import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.bus.BusTokens;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Valid tokens for tests of other features, minted by the real {@link TokenService} with the given secret
 * (pass the same secret the app under test was configured with; {@link #DEV_SECRET} is what dev mode uses).
 * Tokens live one hour. A session is accepted only by the app it names ({@code aud}); the overloads without an app
 * make core sessions, as core's login does.
 */
public final class TestTokens {
  public static final String DEV_SECRET = NodeConfig.DEV_JWT_SECRET;
  public static final Duration TTL = Duration.ofHours(1);
  public static final String OPERATOR_ID = "test-operator";
  public static final String VENDOR_ID = "test-vendor";
  public static final String BUYER_ID = "test-buyer";

  private static final Map<String, TokenService> SERVICES = new ConcurrentHashMap<>();
  private static volatile Vertx vertx;

  private TestTokens() {
  }

  /** An operator session at core (what core's login issues: {@code aud} core). */
  public static String operator(String secret) {
    return operator(secret, AppName.CORE);
  }

  /** An operator session issued by {@code app}: only {@code app} accepts it. */
  public static String operator(String secret, AppName app) {
    return session(secret, app, OPERATOR_ID, Role.OPERATOR);
  }

  public static String vendor(String secret) {
    return vendor(secret, AppName.CORE);
  }

  public static String vendor(String secret, AppName app) {
    return session(secret, app, VENDOR_ID, Role.VENDOR);
  }

  public static String buyer(String secret) {
    return buyer(secret, AppName.CORE);
  }

  public static String buyer(String secret, AppName app) {
    return session(secret, app, BUYER_ID, Role.BUYER);
  }

  /** A core session for {@code userId} with email {@code <userId>@example.test}. */
  public static String session(String secret, String userId, Role... roles) {
    return session(secret, AppName.CORE, userId, roles);
  }

  /** A session issued by {@code app} ({@code aud}) for {@code userId} with email {@code <userId>@example.test}. */
  public static String session(String secret, AppName app, String userId, Role... roles) {
    return tokens(secret).mintSession(userId, userId + "@example.test", Set.of(roles), app, TTL);
  }

  /** {@code from} calling {@code to}. */
  public static String service(String secret, AppName from, AppName to) {
    return tokens(secret).mintService(from.id(), to, TTL);
  }

  /**
   * A service token every app accepts ({@code aud} = all three): for probes that read the details of {@code /ready}
   * on nodes whose app they don't know.
   */
  public static String anyApp(String secret) {
    io.vertx.core.json.JsonArray all = new io.vertx.core.json.JsonArray();
    for (AppName app : AppName.values()) {
      all.add(app.id());
    }
    return tokens(secret).mint(new io.vertx.core.json.JsonObject().put("sub", TokenService.SERVICE_SUBJECT_PREFIX
        + "test-probe").put("aud", all).put("typ", "service"), TTL);
  }

  /** Delivery options of a bus message sent by {@code from} to {@code to}: its service token in the header. */
  public static DeliveryOptions busFrom(String secret, AppName from, AppName to) {
    return new DeliveryOptions().addHeader(BusTokens.HEADER, service(secret, from, to));
  }

  /**
   * A one-time handoff into {@code audience} with a fresh jti, living 60 s as core's do (a landing refuses one
   * meant to live longer).
   */
  public static String handoff(String secret, String userId, AppName audience, Role... roles) {
    return tokens(secret).mintHandoff(userId, userId + "@example.test", Set.of(roles), audience,
        UUID.randomUUID().toString(), Duration.ofSeconds(60));
  }

  /** {@code Authorization} header value for a token. */
  public static String bearer(String token) {
    return "Bearer " + token;
  }

  /** The token service for {@code secret} alone (no previous key). */
  public static TokenService tokens(String secret) {
    return SERVICES.computeIfAbsent(secret, s -> new TokenService(vertx(), JwtKeys.of(s, Optional.empty())));
  }

  /** Minting never runs on it; it only exists because the JWT provider is built from a Vertx instance. */
  private static Vertx vertx() {
    Vertx v = vertx;
    if (v == null) {
      synchronized (TestTokens.class) {
        if (vertx == null) {
          vertx = Vertx.vertx();
        }
        v = vertx;
      }
    }
    return v;
  }
}
