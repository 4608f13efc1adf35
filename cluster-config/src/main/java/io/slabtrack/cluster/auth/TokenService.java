package io.slabtrack.cluster.auth;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints and verifies the ecosystem's HS256 tokens. New tokens are always signed with the current key and carry
 * its kid; verification picks the key by kid (absent = current), so tokens signed before a rotation keep
 * working while {@code JWT_SECRET_PREVIOUS} holds the old key.
 *
 * <p>vertx-auth-jwt checks signature and expiry, one {@link JWTAuth} per key so that a kid can never be
 * verified against another key. Everything it is lenient about (no {@code exp}, any {@code alg} it happens to
 * hold a key for, {@code typ}, {@code aud}) is enforced by {@link JwtParts} and {@link ClaimChecks}.
 * HMAC work is microseconds, so verification runs on the calling event loop. Thread-safe; share one per node.
 */
public final class TokenService {
  public static final String ISSUER = "slabtrack";
  public static final String SERVICE_SUBJECT_PREFIX = "app:";
  public static final String METRICS_SUBJECT_PREFIX = "metrics:";
  /** Clock skew tolerated between nodes when checking {@code exp}, {@code nbf} and {@code iat}. */
  public static final int LEEWAY_SECONDS = 5;
  /** The longest session any app mints (core's login, the satellites' handoff landing). */
  public static final Duration MAX_SESSION_TTL = Duration.ofHours(12);
  private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);

  private final JwtKeys keys;
  private final JWTAuth signer;
  private final Map<String, JWTAuth> verifiersByKid;

  public TokenService(Vertx vertx, JwtKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.signer = provider(vertx, keys.currentKid(), keys.currentSecret());
    Map<String, JWTAuth> verifiers = new HashMap<>();
    verifiers.put(keys.currentKid(), signer);
    keys.previousSecret().ifPresent(prev -> {
      String kid = keys.previousKid().orElseThrow();
      verifiers.put(kid, provider(vertx, kid, prev));
    });
    this.verifiersByKid = Map.copyOf(verifiers);
  }

  public JwtKeys keys() {
    return keys;
  }

  /**
   * A person's session at {@code audience}, the app issuing it: core's login makes core sessions, a satellite's
   * handoff landing makes its own, and each app accepts only sessions meant for it. Never longer than
   * {@link #MAX_SESSION_TTL}, which is how long a revocation ({@link SessionsValidAfter}) is remembered.
   */
  public String mintSession(String userId, String email, Set<Role> roles, AppName audience, Duration ttl) {
    if (ttl != null && ttl.compareTo(MAX_SESSION_TTL) > 0) {
      throw new IllegalArgumentException("sessions live at most " + MAX_SESSION_TTL);
    }
    return mint(person(userId, email, roles)
        .put("aud", audience.id())
        .put("typ", TokenType.SESSION.claim()), ttl);
  }

  public String mintService(String issuerApp, AppName audience, Duration ttl) {
    requireText("issuerApp", issuerApp);
    return mint(new JsonObject()
        .put("sub", SERVICE_SUBJECT_PREFIX + issuerApp)
        .put("aud", audience.id())
        .put("typ", TokenType.SERVICE.claim()), ttl);
  }

  /**
   * A scrape token for {@code GET /metrics} of the given apps (Prometheus's bearer credential): it opens nothing
   * else, so a monitoring host that leaks it leaks metrics, not the apps' service routes. Long-lived by design
   * (a scrape config holds it); changing {@code JWT_SECRET} revokes it.
   */
  public String mintMetrics(String scraper, Collection<AppName> audience, Duration ttl) {
    requireText("scraper", scraper);
    if (audience.isEmpty()) {
      throw new IllegalArgumentException("a metrics token needs at least one app");
    }
    JsonArray aud = new JsonArray();
    audience.stream().distinct().sorted().forEach(a -> aud.add(a.id()));
    return mint(new JsonObject()
        .put("sub", METRICS_SUBJECT_PREFIX + scraper)
        .put("aud", aud)
        .put("typ", TokenType.METRICS.claim()), ttl);
  }

  /** The jti lets the receiving app refuse a second use of the same handoff. */
  public String mintHandoff(String userId, String email, Set<Role> roles, AppName audience, String jti,
      Duration ttl) {
    requireText("jti", jti);
    return mint(person(userId, email, roles)
        .put("aud", audience.id())
        .put("jti", jti)
        .put("typ", TokenType.HANDOFF.claim()), ttl);
  }

  /** Signs {@code claims} as given, plus {@code iss}, {@code iat} and {@code exp}, which are always ours. */
  public String mint(JsonObject claims, Duration ttl) {
    long now = Instant.now().getEpochSecond();
    JsonObject payload = claims.copy()
        .put("iss", ISSUER)
        .put("iat", now)
        .put("exp", now + ttlSeconds(ttl));
    return signer.generateToken(payload, new JWTOptions().setAlgorithm(JwtParts.ALGORITHM));
  }

  /**
   * Verifies {@code token} for a route that accepts {@code expectedType} (and, when given, is the audience).
   * Fails with a 401 {@link ApiException} whose message never contains the token.
   */
  public Future<VerifiedToken> verify(String token, TokenType expectedType, Optional<AppName> expectedAudience) {
    Objects.requireNonNull(expectedType, "expectedType");
    Objects.requireNonNull(expectedAudience, "expectedAudience");
    JwtParts parts;
    JWTAuth verifier;
    Future<?> signatureAndExpiry;
    try {
      parts = JwtParts.parse(token);
      verifier = verifierFor(parts.kid());
      ClaimChecks.requireTimeClaims(parts.payload());
      signatureAndExpiry = verifier.authenticate(new TokenCredentials(token));
    } catch (ApiException e) {
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      // The library may throw instead of failing its Future on input it did not expect.
      LOG.debug("token rejected by the JWT library: {}", e.toString());
      return Future.failedFuture(JwtParts.reject("Invalid token"));
    }
    return signatureAndExpiry
        .<VerifiedToken>transform(ar -> {
          if (ar.failed()) {
            // The library's message may say which check failed; it is logged, not returned.
            LOG.debug("token rejected by the JWT library: {}", ar.cause().getMessage());
            return Future.failedFuture(JwtParts.reject("Invalid or expired token"));
          }
          try {
            return Future.succeededFuture(ClaimChecks.check(parts.payload(), expectedType, expectedAudience,
                Instant.now(), LEEWAY_SECONDS));
          } catch (ApiException e) {
            return Future.failedFuture(e);
          }
        });
  }

  private JWTAuth verifierFor(Optional<String> kid) {
    if (kid.isEmpty()) {
      return signer;
    }
    JWTAuth verifier = verifiersByKid.get(kid.get());
    if (verifier == null) {
      throw JwtParts.reject("Token was signed with an unknown key");
    }
    return verifier;
  }

  /** Exactly one HS256 key per provider: the provider must never fall back to another key. */
  private static JWTAuth provider(Vertx vertx, String kid, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(JwtParts.ALGORITHM).setId(kid).setBuffer(secret))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setLeeway(LEEWAY_SECONDS)));
  }

  private static JsonObject person(String userId, String email, Set<Role> roles) {
    requireText("userId", userId);
    JsonArray roleClaims = new JsonArray();
    roles.stream().sorted().forEach(r -> roleClaims.add(r.claim()));
    JsonObject claims = new JsonObject().put("sub", userId).put("roles", roleClaims);
    if (email != null) {
      claims.put("email", email);
    }
    return claims;
  }

  /** Whole seconds, rounded up: JWT times are seconds and a sub-second TTL must not become 0. */
  private static long ttlSeconds(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("token ttl must be positive");
    }
    return ttl.getNano() == 0 ? ttl.getSeconds() : ttl.getSeconds() + 1;
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
