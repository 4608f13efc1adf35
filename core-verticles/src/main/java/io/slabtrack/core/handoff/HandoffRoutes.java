package io.slabtrack.core.handoff;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.auth.handoff.HandoffLanding;
import io.slabtrack.cluster.auth.handoff.NextPath;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.core.users.User;
import io.slabtrack.core.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code POST /api/auth/handoff {target, next}}: a signed-in person asks core for a one-time link into ToT or
 * Storefront. The token is {@code typ: handoff}, {@code aud} = the target, a random 128-bit {@code jti} and 60 s
 * of life; the satellite's {@link HandoffLanding} turns it into its own session once. Its roles and email are the
 * user's as core's database has them now, never copied from the caller's token: a token outlives a demotion, and
 * a handoff must not carry old roles into a fresh session.
 */
public final class HandoffRoutes {
  static final Duration TTL = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AppContext ctx;
  private final UserStore users;
  private final Map<AppName, String> publicUrls;

  private HandoffRoutes(AppContext ctx, UserStore users) {
    this.ctx = ctx;
    this.users = users;
    this.publicUrls = new EnumMap<>(AppName.class);
    for (AppName app : new AppName[] {AppName.TOT, AppName.STOREFRONT}) {
      String url = ctx.config().settings().string(app.envPrefix() + "PUBLIC_URL",
          "http://localhost:" + ctx.config().httpPort(app));
      publicUrls.put(app, url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
  }

  public static HandoffRoutes create(AppContext ctx, UserStore users) {
    return new HandoffRoutes(ctx, users);
  }

  public void mount(Router router) {
    router.post("/api/auth/handoff").handler(ctx.auth().session()).handler(this::mint);
  }

  private void mint(RoutingContext rc) {
    JsonObject body = JsonBody.object(rc);
    AppName target = target(body.getValue("target"));
    Object rawNext = body.getValue("next");
    if (rawNext != null && !(rawNext instanceof String)) {
      throw ApiErrors.invalidField("next", "next must be a path on the target app");
    }
    link(AuthHandlers.principal(rc), target, NextPath.check((String) rawNext)).onSuccess(link -> Responses.ok(rc,
        new JsonObject()
            .put("target", target.id())
            .put("token", link.token())
            .put("url", link.url())
            .put("expiresAt", link.expiresAt().toString()))).onFailure(rc::fail);
  }

  /** Where people reach {@code app} (a satellite): the origin handoff links lead to. */
  public String publicUrl(AppName app) {
    return publicUrls.get(app);
  }

  /** A one-time link into {@code target} ending on {@code next} (checked), for the session's user as they are now. */
  public Future<Link> link(VerifiedToken session, AppName target, String next) {
    return currentUser(session).map(user -> {
      String token = ctx.tokens().mintHandoff(user.subject(), user.email(), user.roles(), target, newJti(), TTL);
      String url = publicUrls.get(target) + HandoffLanding.PATH + "?token=" + token
          + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
      return new Link(token, url, Instant.now().plus(TTL));
    });
  }

  /** A handoff link: its token, the URL that carries it and when it expires. */
  public record Link(String token, String url, Instant expiresAt) {
  }

  /** The session's user as the database has it; a disabled or unknown account gets no handoff (401). */
  private Future<User> currentUser(VerifiedToken session) {
    long id;
    try {
      id = Long.parseLong(session.subject());
    } catch (NumberFormatException e) {
      return Future.failedFuture(ApiErrors.unauthorized("This session's account does not exist"));
    }
    return users.byId(id).compose(user -> {
      if (user.isEmpty()) {
        return Future.failedFuture(ApiErrors.unauthorized("This session's account does not exist"));
      }
      if (user.get().disabled()) {
        return Future.failedFuture(ApiErrors.unauthorized(AuthHandlers.REVOKED));
      }
      return Future.succeededFuture(user.get());
    });
  }

  private static AppName target(Object raw) {
    if ("tot".equals(raw)) {
      return AppName.TOT;
    }
    if ("storefront".equals(raw)) {
      return AppName.STOREFRONT;
    }
    throw ApiErrors.invalidField("target", "target must be tot or storefront");
  }

  private static String newJti() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
