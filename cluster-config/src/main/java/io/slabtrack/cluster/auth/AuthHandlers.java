package io.slabtrack.cluster.auth;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The route guards every app's router uses, so that all three apps read credentials, apply token types and
 * roles, and answer 401/403 the same way (API-CONVENTIONS.md, "Auth").
 *
 * <p>Failures go to {@code ctx.fail(ApiException)}; the router's {@code FailureHandler} renders the JSON body.
 * On success the {@link VerifiedToken} is stored in the context ({@link #principal}) and the route continues.
 */
public final class AuthHandlers {
  /** One answer for both causes of a revoked session: the caller learns to sign in again, not which it was. */
  public static final String REVOKED =
      "This session is no longer valid (account disabled or roles changed); sign in again";
  private static final String PRINCIPAL_KEY = "slabtrack.auth.principal";
  private static final String VIA_COOKIE_KEY = "slabtrack.auth.viaCookie";
  private static final String BEARER = "bearer ";

  private final TokenService tokens;
  private final AppName app;
  private final String cookieName;
  private final Predicate<VerifiedToken> sessionRevoked;
  private final boolean secureCookies;

  /**
   * @param secureCookies true in production (HTTPS): the cookie is {@code __Host-st_<app>}, which browsers only
   *                      accept when Secure, host-only and Path=/; false in dev over plain HTTP: {@code st_<app>}
   */
  public AuthHandlers(TokenService tokens, AppName app, boolean secureCookies) {
    this(tokens, app, secureCookies, token -> false);
  }

  /**
   * @param sessionRevoked true for a verified session or handoff that must stop working (account disabled, roles
   *                       changed since it was issued); asked on every session request, so it must answer from
   *                       memory ({@link RevokedSessions})
   */
  public AuthHandlers(TokenService tokens, AppName app, boolean secureCookies,
      Predicate<VerifiedToken> sessionRevoked) {
    this.sessionRevoked = Objects.requireNonNull(sessionRevoked, "sessionRevoked");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.app = Objects.requireNonNull(app, "app");
    this.secureCookies = secureCookies;
    this.cookieName = (secureCookies ? "__Host-st_" : "st_") + app.id();
  }

  /**
   * This app's session cookie carrying {@code token} (API-CONVENTIONS.md): HttpOnly so scripts never see it,
   * SameSite=Lax so other sites' POSTs go without it, Path=/ and no Domain (host-only), Secure in production.
   */
  public Cookie sessionCookie(String token, Duration maxAge) {
    return Cookie.cookie(cookieName, token).setPath("/").setHttpOnly(true).setSecure(secureCookies)
        .setSameSite(CookieSameSite.LAX).setMaxAge(maxAge.toSeconds());
  }

  /** The same cookie, emptied and expired: logging out. */
  public Cookie clearedSessionCookie() {
    return Cookie.cookie(cookieName, "").setPath("/").setHttpOnly(true).setSecure(secureCookies)
        .setSameSite(CookieSameSite.LAX).setMaxAge(0);
  }

  /** True when this session or handoff must be refused (account disabled, roles changed); handoffs ask it too. */
  public boolean isRevoked(VerifiedToken token) {
    return sessionRevoked.test(token);
  }

  /** This app's session cookie name; whoever sets the cookie must use it. */
  public String cookieName() {
    return cookieName;
  }

  /**
   * A person's session issued by this app ({@code aud}), by bearer header or this app's cookie; with roles, the
   * token must hold one of them.
   */
  public Handler<RoutingContext> session(Role... anyOf) {
    Set<Role> required = roleSet(anyOf);
    return ctx -> credential(ctx, true).ifPresentOrElse(
        c -> guard(ctx, c, tokens.verify(c.token(), TokenType.SESSION, Optional.of(app)), required),
        () -> unauthorized(ctx, ApiErrors.unauthorized("Authentication required")));
  }

  /**
   * The person behind this request's session cookie or bearer header, if any: the same checks as {@link #session}
   * (this app's audience, not revoked), for public pages that only adapt to who is looking. Never fails: no or a
   * bad credential is "nobody".
   */
  public Future<Optional<VerifiedToken>> optionalSession(RoutingContext ctx) {
    return credential(ctx, true)
        .map(c -> tokens.verify(c.token(), TokenType.SESSION, Optional.of(app))
            .map(token -> sessionRevoked.test(token) ? Optional.<VerifiedToken>empty() : Optional.of(token))
            .otherwise(Optional.empty()))
        .orElse(Future.succeededFuture(Optional.empty()));
  }

  /** Another app calling this one: bearer only (apps hold no cookies), typ service, aud = this app. */
  public Handler<RoutingContext> service() {
    return ctx -> credential(ctx, false).ifPresentOrElse(
        c -> guard(ctx, c, tokens.verify(c.token(), TokenType.SERVICE, Optional.of(app)), Set.of()),
        () -> unauthorized(ctx, ApiErrors.unauthorized("Authentication required")));
  }

  /**
   * Either an app (service token for this app, bearer only) or a person's session holding one of the roles.
   * The unverified {@code typ} only picks which verification runs; that verification checks {@code typ} again.
   */
  public Handler<RoutingContext> serviceOrSession(Role... anyOf) {
    Set<Role> required = roleSet(anyOf);
    return ctx -> credential(ctx, true).ifPresentOrElse(c -> {
      boolean service = !c.viaCookie() && claimsType(c.token()) == TokenType.SERVICE;
      Future<VerifiedToken> verified = service
          ? tokens.verify(c.token(), TokenType.SERVICE, Optional.of(app))
          : tokens.verify(c.token(), TokenType.SESSION, Optional.of(app));
      guard(ctx, c, verified, service ? Set.of() : required);
    }, () -> unauthorized(ctx, ApiErrors.unauthorized("Authentication required")));
  }

  /**
   * {@code GET /metrics}: a scrape token for this app ({@link TokenService#mintMetrics}, bearer only), an app's
   * service token, or an operator's session. As in {@link #serviceOrSession}, the unverified {@code typ} only picks
   * which verification runs.
   */
  public Handler<RoutingContext> metricsReader() {
    Set<Role> operator = Set.of(Role.OPERATOR);
    return ctx -> credential(ctx, true).ifPresentOrElse(c -> {
      TokenType claimed = c.viaCookie() ? null : claimsType(c.token());
      TokenType type = claimed == TokenType.SERVICE || claimed == TokenType.METRICS ? claimed : TokenType.SESSION;
      guard(ctx, c, tokens.verify(c.token(), type, Optional.of(app)), type == TokenType.SESSION ? operator : Set.of());
    }, () -> unauthorized(ctx, ApiErrors.unauthorized("Authentication required")));
  }

  /** The verified token of this request; a route without an auth handler in front of it is a bug (500). */
  public static VerifiedToken principal(RoutingContext ctx) {
    VerifiedToken token = ctx.get(PRINCIPAL_KEY);
    if (token == null) {
      throw new IllegalStateException("no auth handler ran before " + ctx.normalizedPath());
    }
    return token;
  }

  /**
   * True when the principal came from the session cookie rather than a bearer header: such state-changing
   * requests need a CSRF check (API-CONVENTIONS.md), bearer ones do not.
   */
  public static boolean authenticatedByCookie(RoutingContext ctx) {
    return Boolean.TRUE.equals(ctx.get(VIA_COOKIE_KEY));
  }

  private void guard(RoutingContext ctx, Credential credential, Future<VerifiedToken> verified, Set<Role> required) {
    verified.onComplete(ar -> {
      if (ar.failed()) {
        unauthorized(ctx, ar.cause() instanceof ApiException api ? api : ApiErrors.unauthorized("Invalid token"));
        return;
      }
      VerifiedToken token = ar.result();
      if (token.type() == TokenType.SESSION && sessionRevoked.test(token)) {
        unauthorized(ctx, ApiErrors.unauthorized(REVOKED));
        return;
      }
      if (!token.hasAnyRole(required)) {
        ctx.fail(ApiErrors.forbidden("forbidden", "This route needs one of the roles: " + names(required)));
        return;
      }
      ctx.put(PRINCIPAL_KEY, token);
      ctx.put(VIA_COOKIE_KEY, credential.viaCookie());
      ctx.next();
    });
  }

  /**
   * A present Authorization header wins and is never second-guessed by the cookie: a bad bearer token is a
   * 401 even if a valid cookie rides along, so a client always learns that its header is wrong.
   */
  private Optional<Credential> credential(RoutingContext ctx, boolean cookieAllowed) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null) {
      boolean bearer = header.length() > BEARER.length() && header.regionMatches(true, 0, BEARER, 0, BEARER.length());
      // A non-bearer scheme still counts as "credentials given": the empty string fails verification as malformed.
      return Optional.of(new Credential(bearer ? header.substring(BEARER.length()).trim() : "", false));
    }
    if (!cookieAllowed) {
      return Optional.empty();
    }
    Cookie cookie = ctx.request().getCookie(cookieName);
    return cookie == null || cookie.getValue().isEmpty()
        ? Optional.empty()
        : Optional.of(new Credential(cookie.getValue(), true));
  }

  private static TokenType claimsType(String token) {
    try {
      return TokenType.fromClaim(JwtParts.parse(token).payload().getString("typ")).orElse(null);
    } catch (RuntimeException e) {
      return null; // whatever is wrong with it, the session verification will say so
    }
  }

  private static void unauthorized(RoutingContext ctx, ApiException e) {
    // RFC 6750 §3: a 401 names the scheme the client should use.
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"slabtrack\"");
    ctx.fail(e);
  }

  private static Set<Role> roleSet(Role... anyOf) {
    Set<Role> out = EnumSet.noneOf(Role.class);
    out.addAll(List.of(anyOf));
    return Set.copyOf(out);
  }

  private static String names(Set<Role> roles) {
    return roles.stream().sorted().map(Role::claim).collect(Collectors.joining(", "));
  }

  private record Credential(String token, boolean viaCookie) {
  }
}
