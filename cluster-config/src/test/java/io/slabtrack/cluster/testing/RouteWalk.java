package io.slabtrack.cluster.testing;

import io.slabtrack.cluster.access.CanonicalPath;
import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.app.AppHttpVerticle;
import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.app.AppRuntime;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Walks every route registered on an app's router (sub-routers included, e.g. core's OpenAPI router) with no
 * token, on the canonical path and on the spellings routers are lenient about, and lists every answer that
 * breaks deny-by-default: a route off the public list must answer 401 (or 404) to an anonymous request, and an
 * odd spelling of any route must never be answered by a handler. Not a hand-kept list: a route added tomorrow
 * is walked tomorrow.
 */
public final class RouteWalk {
  private static final List<HttpMethod> ANY_METHOD = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
      HttpMethod.PATCH, HttpMethod.DELETE);

  /** One registered route as a request we can send: a method and a concrete path. */
  public record Probe(HttpMethod method, String path, String route) {
    @Override
    public String toString() {
      return method + " " + path + " (route " + route + ")";
    }
  }

  /** What broke the rule: the request sent and the status it got. */
  public record Breach(Probe probe, int status, String body) {
    @Override
    public String toString() {
      return probe + " -> " + status + " " + body;
    }
  }

  /** The result of a walk: how many requests were sent, the registered routes found, and every breach. */
  public record Result(int requests, List<Probe> routes, List<Breach> breaches) {
  }

  private RouteWalk() {
  }

  /** Every (method, concrete path) the router and its sub-routers register, with path parameters filled in. */
  public static List<Probe> probes(Router router) {
    Set<Probe> out = new LinkedHashSet<>();
    collect(router, "", out);
    return new ArrayList<>(out);
  }

  private static void collect(Router router, String prefix, Set<Probe> out) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null) {
        continue; // catch-alls (gate, body handler, 404) and pure regex routes (we register none): nothing to walk
      }
      String full = join(prefix, path);
      if (route.getSubRouter() != null) {
        collect(route.getSubRouter(), full.endsWith("/") ? full.substring(0, full.length() - 1) : full, out);
        continue;
      }
      String concrete = concrete(full, route.isExactPath());
      List<HttpMethod> methods = route.methods() == null || route.methods().isEmpty()
          ? ANY_METHOD : List.copyOf(route.methods());
      for (HttpMethod m : methods) {
        out.add(new Probe(m, concrete, (route.methods() == null || route.methods().isEmpty() ? "*" : m)
            + " " + full + (route.isExactPath() ? "" : "*")));
      }
    }
  }

  private static String join(String prefix, String path) {
    if (prefix.isEmpty() || prefix.equals("/")) {
      return path;
    }
    return prefix + (path.startsWith("/") ? path : "/" + path);
  }

  /** {@code :param} → a plausible value; a prefix route gets one more segment. */
  static String concrete(String pattern, boolean exact) {
    StringBuilder sb = new StringBuilder();
    for (String segment : pattern.split("/", -1)) {
      if (sb.length() > 0 || !segment.isEmpty()) {
        sb.append('/');
      }
      sb.append(segment.startsWith(":") ? "1" : segment);
    }
    String path = sb.length() == 0 ? "/" : sb.toString();
    if (!exact) {
      path = path.endsWith("/") ? path + "probe" : path + "/probe";
    }
    return path;
  }

  /** The other spellings of {@code path} a lenient router might map back to it. */
  public static List<String> variants(String path) {
    Set<String> out = new LinkedHashSet<>();
    out.add(path + "/");
    out.add(path + "/.");
    out.add(path + "//");
    out.add(path + "/%2e");
    out.add(path + "/%2E/");
    out.add(path + "/x/..");
    out.add(path + "/x/%2e%2e");
    out.add(path + ";x");
    out.add(path + "%2f");
    out.add(path.toUpperCase(Locale.ROOT));
    out.add(mixedCase(path));
    int last = path.lastIndexOf('/');
    if (last > 0) {
      out.add(path.substring(0, last) + "//" + path.substring(last + 1));
      out.add(path.substring(0, last) + "/./" + path.substring(last + 1));
      out.add(path.substring(0, last) + "%2F" + path.substring(last + 1));
      out.add(path.substring(0, last) + "\\" + path.substring(last + 1));
    }
    out.add("/." + path);
    out.add("/" + path);
    int letter = firstLetter(path);
    if (letter >= 0) {
      out.add(path.substring(0, letter) + String.format("%%%02x", (int) path.charAt(letter))
          + path.substring(letter + 1));
    }
    out.remove(path);
    return new ArrayList<>(out);
  }

  private static String mixedCase(String path) {
    StringBuilder sb = new StringBuilder(path);
    int letter = firstLetter(path);
    if (letter >= 0) {
      sb.setCharAt(letter, Character.toUpperCase(path.charAt(letter)));
    }
    return sb.toString();
  }

  private static int firstLetter(String path) {
    for (int i = 0; i < path.length(); i++) {
      if (Character.isLowerCase(path.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Sends every probe and every variant anonymously to {@code port}. Canonical probes off the public list must
   * answer 401; every variant must answer 401 or 404; every entry of the public list must name a registered
   * route (a stale entry would open tomorrow's route of that name without anyone deciding it).
   */
  public static Result walk(int port, Router router, PublicRoutes open) throws Exception {
    List<Probe> routes = probes(router);
    List<Breach> breaches = new ArrayList<>();
    for (PublicRoutes.Route entry : open.routes()) {
      if (routes.stream().noneMatch(p -> entry.matches(p.method(), p.path()))) {
        breaches.add(new Breach(new Probe(entry.method(), entry.pattern(), "public list"), 0,
            "no registered route answers this public entry"));
      }
    }
    int requests = 0;
    for (Probe probe : routes) {
      if (!open.allows(probe.method(), probe.path())) {
        Answer canonical = send(port, probe.method(), probe.path());
        requests++;
        // a sub-router's own "/" route (SockJS's greeting under /eventbus) only exists as a trailing-slash path,
        // a spelling CanonicalPath refuses with 404 before the gate: unreachable is as closed as 401
        boolean unreachable = !CanonicalPath.isCanonical(probe.path()) && canonical.status == 404;
        if (canonical.status != 401 && !unreachable) {
          breaches.add(new Breach(probe, canonical.status, canonical.body));
        }
      }
      for (String variant : variants(probe.path())) {
        Answer answer = send(port, probe.method(), variant);
        requests++;
        if (answer.status != 401 && answer.status != 404) {
          breaches.add(new Breach(new Probe(probe.method(), variant, probe.route()), answer.status, answer.body));
        }
      }
    }
    return new Result(requests, routes, breaches);
  }

  /** Walks the router of {@code module} running on {@code node} against that app's effective public list. */
  public static Result walk(TestNode node, AppModule module) throws Exception {
    AppRuntime runtime = node.runtime(module.name());
    return walk(runtime.httpPort(), runtime.router(), AppHttpVerticle.publicRoutes(module));
  }

  private record Answer(int status, String body) {
  }

  /**
   * One request written byte for byte on a fresh socket, so no client library normalizes the path on its way out.
   * A request that gets no answer in time is sent once more: on this shared 2-core machine a JVM can stall for
   * seconds, and a breach is a status, never a silence (a second silence is reported as status -1).
   */
  private static Answer send(int port, HttpMethod method, String uri) throws Exception {
    try {
      return sendOnce(port, method, uri);
    } catch (SocketTimeoutException first) {
      try {
        return sendOnce(port, method, uri);
      } catch (SocketTimeoutException second) {
        return new Answer(-1, "no answer twice: " + second);
      }
    }
  }

  private static Answer sendOnce(int port, HttpMethod method, String uri) throws Exception {
    String body = method == HttpMethod.GET || method == HttpMethod.DELETE ? "" : "{}";
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write((method.name() + " " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
          + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!response.startsWith("HTTP/1.1 ")) {
        return new Answer(-2, "not an HTTP answer: " + abbreviate(response));
      }
      int headEnd = response.indexOf("\r\n\r\n");
      return new Answer(Integer.parseInt(response.substring(9, 12)),
          abbreviate(headEnd < 0 ? "" : response.substring(headEnd + 4)));
    }
  }

  private static String abbreviate(String body) {
    return body.length() > 160 ? body.substring(0, 160) + "…" : body;
  }
}
