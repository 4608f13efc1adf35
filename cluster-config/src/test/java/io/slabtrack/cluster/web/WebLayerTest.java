package io.slabtrack.cluster.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared web layer on a real app server: browsers get error pages of the site with the page security headers,
 * API clients keep their JSON errors, and the shared assets are served under fingerprinted, cacheable names.
 */
class WebLayerTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  private static final String SIGNED_IN = TestTokens.operator(TestNode.SECRET, AppName.TOT);
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new BareModule(AppName.TOT) {
      @Override
      public PublicRoutes publicRoutes() {
        return PublicRoutes.of("GET /forbidden-page", "GET /broken-page", "GET /api/broken");
      }

      @Override
      public void mountRoutes(Router router, AppContext ctx) {
        router.get("/private-page").handler(rc -> rc.response().end("members only"));
        router.get("/forbidden-page").handler(rc -> rc.fail(ApiErrors.forbidden("no_access", "no access to this shop")));
        router.get("/broken-page").handler(rc -> {
          throw new IllegalStateException("boom");
        });
        router.get("/api/broken").handler(rc -> {
          throw new IllegalStateException("boom");
        });
      }
    });
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static HttpResponse<String> get(String path, String accept) throws Exception {
    return get(path, accept, null);
  }

  private static HttpResponse<String> get(String path, String accept, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(AppName.TOT, path)));
    if (accept != null) {
      b.header("Accept", accept);
    }
    if (token != null) {
      b.header("Authorization", TestTokens.bearer(token));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBrowserGetsA404PageOfTheSiteWithTheSecurityHeaders() throws Exception {
    HttpResponse<String> r = get("/no/such/page", BROWSER_ACCEPT, SIGNED_IN);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("script-src 'self'", "style-src 'self'", "default-src 'none'", "frame-ancestors 'none'");
    Document page = Jsoup.parse(r.body());
    assertThat(page.select("h1").text()).isEqualTo("Page not found");
    assertThat(page.select("link[rel=stylesheet]").attr("href")).matches("/assets/site\\.[0-9a-f]{12}\\.css");
    assertThat(page.select("script, style, [style]")).as("no inline script or style").isEmpty();
  }

  @Test
  void forbiddenAndBrokenPagesAreHtmlAndTheFiveHundredNamesItsReference() throws Exception {
    HttpResponse<String> forbidden = get("/forbidden-page", BROWSER_ACCEPT);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(Jsoup.parse(forbidden.body()).select("main").text()).contains("Not allowed", "no access to this shop");

    HttpResponse<String> broken = get("/broken-page", BROWSER_ACCEPT);
    assertThat(broken.statusCode()).isEqualTo(500);
    Document page = Jsoup.parse(broken.body());
    assertThat(page.select("h1").text()).isEqualTo("Something went wrong");
    assertThat(page.select("code").text()).matches("[0-9a-f-]{36}");
    assertThat(broken.body()).doesNotContain("boom");
  }

  @Test
  void apiRoutesAndClientsWithoutHtmlKeepTheJsonErrors() throws Exception {
    HttpResponse<String> api = get("/api/broken", BROWSER_ACCEPT);
    assertThat(api.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(api.body()).getString("error")).isEqualTo("internal_error");
    HttpResponse<String> apiMissing = get("/api/nothing-here", BROWSER_ACCEPT, SIGNED_IN);
    assertThat(new JsonObject(apiMissing.body()).getString("error")).isEqualTo("not_found");
    HttpResponse<String> script = get("/no/such/page", null, SIGNED_IN);
    assertThat(script.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(script.body()).getString("error")).isEqualTo("not_found");
  }

  @Test
  void theGateAsksABrowserToSignInWithAPageAndAnApiClientWithJson() throws Exception {
    // deny by default: a page off the public list is refused by the gate, before any route runs
    HttpResponse<String> page = get("/private-page", BROWSER_ACCEPT);
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(Jsoup.parse(page.body()).select("h1").text()).isEqualTo("Sign-in needed");
    assertThat(get("/no/such/page", BROWSER_ACCEPT).statusCode()).as("unknown pages too").isEqualTo(401);

    HttpResponse<String> api = get("/api/private", BROWSER_ACCEPT);
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(api.body()).getString("error")).isEqualTo("unauthorized");
    HttpResponse<String> script = get("/private-page", null);
    assertThat(script.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(script.body()).getString("error")).isEqualTo("unauthorized");

    assertThat(get("/private-page", BROWSER_ACCEPT, SIGNED_IN).body()).isEqualTo("members only");
  }

  @Test
  void sharedAssetsAreServedUnderTheirFingerprintAndCachedForever() throws Exception {
    String css = WebLayer.shared().asset("site.css");
    HttpResponse<String> r = get(css, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
    assertThat(r.body()).contains("--color-primary");
    String etag = r.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(node.url(AppName.TOT, css)))
        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(get("/assets/site.000000000000.css", null).statusCode()).as("an old fingerprint").isEqualTo(404);
  }
}
