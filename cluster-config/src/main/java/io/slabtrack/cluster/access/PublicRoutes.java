package io.slabtrack.cluster.access;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The routes an app answers without a token. Deny by default: the {@link AccessGate} asks every request for a
 * valid session or service token unless its method and path are on this list, so a route someone adds is private
 * until they name it here. Each app keeps its list in one place (its {@code AppModule#publicRoutes()}); the
 * routes every app mounts are in {@link #EVERY_APP}.
 *
 * <p>Patterns are Vert.x-style paths: {@code :name} matches one non-empty segment, a final {@code *} matches
 * any rest (including nothing). Matching is exact and case-sensitive on the canonical path ({@link CanonicalPath}
 * has already refused every other spelling), so {@code /API/listings} is not {@code /api/listings}.
 */
public final class PublicRoutes {
  /**
   * The shared routes of every app: liveness, readiness, logout (it only drops this app's cookie), and the shared
   * web assets (CSS and icons, fingerprinted; error pages need them before anyone has signed in), and the API
   * explorer (ApiDocs: the shape of an API is no secret; the calls it makes still need the caller's session).
   */
  public static final PublicRoutes EVERY_APP = of(
      "GET /health",
      "GET /ready",
      "POST /api/auth/logout",
      "GET /assets/:file",
      "GET /docs");

  private final List<Route> routes;

  private PublicRoutes(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /** One route per spec, each {@code "METHOD /path/:param"}. */
  public static PublicRoutes of(String... specs) {
    List<Route> routes = new ArrayList<>();
    for (String spec : specs) {
      routes.add(Route.parse(spec));
    }
    return new PublicRoutes(routes);
  }

  public static PublicRoutes none() {
    return new PublicRoutes(List.of());
  }

  public PublicRoutes plus(PublicRoutes more) {
    List<Route> all = new ArrayList<>(routes);
    all.addAll(more.routes);
    return new PublicRoutes(all);
  }

  public List<Route> routes() {
    return routes;
  }

  /** True when a request with this method on this canonical path needs no token. */
  public boolean allows(HttpMethod method, String path) {
    for (Route route : routes) {
      if (route.matches(method, path)) {
        return true;
      }
    }
    return false;
  }

  /** One public route: a method and a path pattern. */
  public record Route(HttpMethod method, String pattern) {
    public Route {
      Objects.requireNonNull(method, "method");
      if (pattern == null || !pattern.startsWith("/")) {
        throw new IllegalArgumentException("a public route's path starts with '/': " + pattern);
      }
    }

    static Route parse(String spec) {
      String[] parts = spec.trim().split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException("a public route is 'METHOD /path': " + spec);
      }
      return new Route(HttpMethod.valueOf(parts[0]), parts[1]);
    }

    public boolean matches(HttpMethod requestMethod, String path) {
      return method.equals(requestMethod) && pathMatches(path);
    }

    private boolean pathMatches(String path) {
      String[] want = pattern.split("/", -1);
      String[] got = path.split("/", -1);
      for (int i = 0; i < want.length; i++) {
        if (want[i].equals("*") && i == want.length - 1) {
          return true;
        }
        if (i >= got.length) {
          return false;
        }
        boolean param = want[i].startsWith(":");
        if (param ? got[i].isEmpty() : !want[i].equals(got[i])) {
          return false;
        }
      }
      return want.length == got.length;
    }

    @Override
    public String toString() {
      return method + " " + pattern;
    }
  }
}
