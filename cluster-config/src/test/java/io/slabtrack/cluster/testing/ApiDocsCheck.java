package io.slabtrack.cluster.testing;

import io.slabtrack.cluster.config.AppName;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app's served API document against its router: the operations it documents that no route answers, and the
 * {@code /api} routes it leaves out. Routes are read from the router ({@link RouteWalk#probes}), so a route added
 * tomorrow is checked tomorrow. Also fetches {@code /docs} without a token and every asset the page loads.
 */
public final class ApiDocsCheck {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"");

  /** {@code undocumented}: "METHOD /path/:p" on the router but not in the document; {@code unrouted}: the reverse. */
  public record Result(JsonObject document, Set<String> documented, Set<String> routed, List<String> undocumented,
                       List<String> unrouted) {
  }

  private ApiDocsCheck() {
  }

  public static Result check(TestNode node, AppName app) throws Exception {
    HttpResponse<String> doc = get(node, app, "/openapi.json");
    if (doc.statusCode() != 200) {
      throw new AssertionError("GET /openapi.json answered " + doc.statusCode() + " " + doc.body());
    }
    JsonObject document = new JsonObject(doc.body());
    Set<String> documented = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        documented.add(method.toUpperCase() + " " + shape(path.replaceAll("\\{[^}]+}", ":p")));
      }
    }
    Set<String> routed = new TreeSet<>();
    for (RouteWalk.Probe p : RouteWalk.probes(node.runtime(app).router())) {
      String route = p.route();
      // catch-alls (body handlers, guards on /api/*) are not operations
      if (route.startsWith("*") || route.endsWith("*")) {
        continue;
      }
      String path = route.substring(route.indexOf(' ') + 1);
      if (path.startsWith("/api/")) {
        routed.add(p.method().name() + " " + shape(path));
      }
    }
    List<String> undocumented = routed.stream().filter(r -> !documented.contains(r)).toList();
    List<String> unrouted = documented.stream().filter(d -> !routed.contains(d)).toList();
    return new Result(document, documented, routed, undocumented, unrouted);
  }

  /** The /docs page (no token) and the assets it names, each with its status and content type; empty when all fine. */
  public static List<String> docsPageProblems(TestNode node, AppName app) throws Exception {
    List<String> problems = new ArrayList<>();
    HttpResponse<String> page = get(node, app, "/docs");
    if (page.statusCode() != 200) {
      problems.add("/docs answered " + page.statusCode());
      return problems;
    }
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    if (!csp.contains("script-src 'self'") || csp.contains("unsafe")) {
      problems.add("/docs CSP: " + csp);
    }
    if (!page.body().contains("data-spec=\"/openapi.json\"")) {
      problems.add("/docs does not point at /openapi.json");
    }
    Matcher m = ASSET.matcher(page.body());
    int assets = 0;
    while (m.find()) {
      assets++;
      HttpResponse<String> a = get(node, app, m.group(1));
      if (a.statusCode() != 200 || a.body().isEmpty()) {
        problems.add(m.group(1) + " answered " + a.statusCode());
      }
    }
    if (assets < 4) {
      problems.add("/docs names " + assets + " assets, expected the Swagger UI bundle, its CSS, icon and starter");
    }
    if (page.body().contains("//cdn") || page.body().contains("https://")) {
      problems.add("/docs loads something from another host");
    }
    return problems;
  }

  private static String shape(String path) {
    return path.replaceAll(":[A-Za-z]+", ":p");
  }

  private static HttpResponse<String> get(TestNode node, AppName app, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(node.url(app, path))).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
