package io.slabtrack.cluster.access;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Deny by default, in front of every route of an app: a request whose method and canonical path are not on the
 * app's {@link PublicRoutes} must carry a valid token (a session, or a service token for this app) before any
 * route handler, body parser or validator sees it. Route guards behind it still decide roles and ownership; this
 * gate makes sure a route that forgot its guard is closed, not open.
 */
public final class AccessGate implements Handler<RoutingContext> {
  private final PublicRoutes open;
  private final Handler<RoutingContext> anyValidToken;
  private final Map<String, Handler<RoutingContext>> ownGuards;

  /**
   * @param anyValidToken authenticates the request (continues with the principal stored) or fails it with 401
   */
  public AccessGate(PublicRoutes open, Handler<RoutingContext> anyValidToken) {
    this(open, anyValidToken, Map.of());
  }

  private AccessGate(PublicRoutes open, Handler<RoutingContext> anyValidToken,
                     Map<String, Handler<RoutingContext>> ownGuards) {
    this.open = Objects.requireNonNull(open, "open");
    this.anyValidToken = Objects.requireNonNull(anyValidToken, "anyValidToken");
    this.ownGuards = Map.copyOf(ownGuards);
  }

  /**
   * The same gate, with requests to exactly {@code path} authenticated by {@code guard} instead: for a route that
   * accepts a credential no other route does ({@code /metrics} and its scrape token). The guard must itself refuse
   * a request without valid credentials; the path stays closed to anonymous callers.
   */
  public AccessGate withOwnGuard(String path, Handler<RoutingContext> guard) {
    Map<String, Handler<RoutingContext>> guards = new HashMap<>(ownGuards);
    guards.put(path, Objects.requireNonNull(guard, "guard"));
    return new AccessGate(open, anyValidToken, guards);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (open.allows(ctx.request().method(), ctx.request().path())) {
      ctx.next();
    } else {
      ownGuards.getOrDefault(ctx.request().path(), anyValidToken).handle(ctx);
    }
  }
}
