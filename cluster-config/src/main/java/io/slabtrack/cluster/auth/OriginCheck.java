package io.slabtrack.cluster.auth;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Set;

/**
 * CSRF defence for cookie sessions, mounted in front of every route of every app: a state-changing request that
 * carries this app's session cookie and no Authorization header (so the cookie is what would authenticate it)
 * must come from this app's own origin. Browsers attach Origin to every cross-site and same-site POST, PUT,
 * PATCH and DELETE, and a page cannot forge it; Referer is the fallback for old browsers. With neither, the
 * request is refused: failing closed costs a scripted cookie client one header, failing open costs a forged
 * purchase. Bearer requests need no check, since browsers never attach a bearer token on their own.
 */
public final class OriginCheck implements Handler<RoutingContext> {
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final String cookieName;

  public OriginCheck(String cookieName) {
    this.cookieName = cookieName;
  }

  @Override
  public void handle(RoutingContext ctx) {
    var request = ctx.request();
    if (SAFE.contains(request.method()) || request.getHeader(HttpHeaders.AUTHORIZATION) != null
        || request.getCookie(cookieName) == null) {
      ctx.next();
      return;
    }
    if (fromThisSite(request)) {
      ctx.next();
      return;
    }
    ctx.fail(ApiErrors.forbidden("csrf_rejected",
        "A cookie-authenticated change must come from this site (Origin check); send the token as a bearer header "
            + "from other clients"));
  }

  /**
   * The same rule for a page's form post, whether or not a session rides along: its Origin (or Referer) is this
   * app's own address. Pages use it for every state-changing form (cart, checkout).
   */
  public static boolean fromThisSite(HttpServerRequest request) {
    String source = request.getHeader(HttpHeaders.ORIGIN);
    if (source == null || source.equals("null")) {
      source = request.getHeader(HttpHeaders.REFERER);
    }
    var authority = request.authority();
    String host = authority == null ? null
        : authority.host() + (authority.port() >= 0 ? ":" + authority.port() : "");
    return source != null && sameAuthority(source, host);
  }

  /** host[:port] of the Origin/Referer against the Host the browser addressed; the scheme is the proxy's business. */
  static boolean sameAuthority(String source, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI uri = new URI(source);
      if (uri.getRawAuthority() == null || uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        return false;
      }
      return uri.getRawAuthority().equalsIgnoreCase(host);
    } catch (Exception e) {
      return false;
    }
  }
}
