package io.slabtrack.cluster.auth.handoff;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.auth.TokenType;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /auth/handoff?token=…&next=/path} on a satellite: turns core's one-time handoff token into this app's
 * own session cookie (a session with {@code aud} = this app) and redirects to {@code next}. The token must be HS256
 * from our keys, {@code typ: handoff}, {@code aud} = this app, unexpired (5 s leeway), and its {@code jti} unused
 * anywhere in the cluster. Every refusal is a JSON 401 with no cookie set. The token is never logged (only its
 * jti), the answer carries {@code Referrer-Policy: no-referrer} so the token in this URL does not leak to the next
 * page, and {@code Cache-Control: no-store}.
 */
public final class HandoffLanding {
  public static final String PATH = "/auth/handoff";
  static final Duration SESSION_TTL = TokenService.MAX_SESSION_TTL;
  /** Core mints 60 s handoffs; one meant to live longer is not ours to honour (and would outlive its jti entry). */
  static final Duration MAX_LIFETIME = Duration.ofSeconds(60 + TokenService.LEEWAY_SECONDS);
  private static final Duration REPLAY_MARGIN = Duration.ofSeconds(60);
  private static final int MAX_JTI = 200;
  private static final Logger LOG = LoggerFactory.getLogger(HandoffLanding.class);

  private final AppContext ctx;
  private final UsedHandoffs used;

  private HandoffLanding(AppContext ctx) {
    this.ctx = ctx;
    this.used = new UsedHandoffs(ctx.vertx());
  }

  /**
   * One line per satellite app: {@code HandoffLanding.mount(router, ctx)}. Also mounts the satellite's
   * {@code POST /api/auth/logout}, which drops the cookie the landing set.
   */
  public static void mount(Router router, AppContext ctx) {
    HandoffLanding landing = new HandoffLanding(ctx);
    router.get(PATH).handler(landing::land);
    router.post("/api/auth/logout").handler(landing::logout);
  }

  private void land(RoutingContext rc) {
    rc.response().putHeader("Referrer-Policy", "no-referrer").putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    String next = NextPath.check(rc.queryParams().get("next"));
    String token = rc.queryParams().get("token");
    if (token == null || token.isEmpty()) {
      throw ApiErrors.unauthorized("Handoff token required");
    }
    ctx.tokens().verify(token, TokenType.HANDOFF, Optional.of(ctx.app()))
        .compose(this::claimOnce)
        .onSuccess(handoff -> {
          // aud = this app: the session works here only, never at core or the other satellite
          String session = ctx.tokens().mintSession(handoff.subject(), handoff.email(), handoff.roles(), ctx.app(),
              SESSION_TTL);
          rc.response().addCookie(ctx.auth().sessionCookie(session, SESSION_TTL));
          LOG.info("handoff jti={} signed user {} in to {}", handoff.jti(), handoff.subject(), ctx.app().id());
          rc.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, next).end();
        })
        .onFailure(e -> rc.fail(e instanceof ApiException api ? api : ApiErrors.unauthorized("Invalid handoff")));
  }

  private void logout(RoutingContext rc) {
    rc.response().addCookie(ctx.auth().clearedSessionCookie()).setStatusCode(204).end();
  }

  private Future<VerifiedToken> claimOnce(VerifiedToken handoff) {
    String jti = handoff.jti();
    if (jti == null || jti.isBlank() || jti.length() > MAX_JTI) {
      return Future.failedFuture(ApiErrors.unauthorized("Handoff token has no valid jti"));
    }
    Duration left = Duration.between(Instant.now(), handoff.expiresAt());
    if (left.compareTo(MAX_LIFETIME) > 0) {
      return Future.failedFuture(ApiErrors.unauthorized("Handoff token lives too long"));
    }
    if (ctx.auth().isRevoked(handoff)) {
      return Future.failedFuture(ApiErrors.unauthorized(AuthHandlers.REVOKED));
    }
    Duration keep = left.plusSeconds(TokenService.LEEWAY_SECONDS).plus(REPLAY_MARGIN);
    return used.firstUse(jti, keep).compose(first -> first ? Future.succeededFuture(handoff)
        : Future.failedFuture(new ApiException(401, "handoff_used", "This handoff link was already used")));
  }
}
