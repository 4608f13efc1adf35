package io.slabtrack.core.testing;

import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A browser-like client for tests: real HTTP/1.1 with a cookie jar, redirects not followed (tests look at the 302),
 * and helpers for JSON. Cookies are kept per host like a browser does, so the three apps on 127.0.0.1 share the
 * jar exactly as they share one in a browser in dev mode, which is why their cookie names differ.
 */
public final class Browser {
  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
      .build();

  public HttpResponse<String> get(String url, String... headers) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
  }

  public HttpResponse<String> post(String url, JsonObject body, String... headers) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode())), headers);
  }

  public HttpResponse<String> patch(String url, JsonObject body, String... headers) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())), headers);
  }

  /** The jar's value of cookie {@code name}, if any (expired cookies are gone from the jar). */
  public Optional<String> cookie(String name) {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name) && !c.hasExpired())
        .map(HttpCookie::getValue).filter(v -> !v.isEmpty()).findFirst();
  }

  public void clearCookies() {
    cookies.getCookieStore().removeAll();
  }

  private HttpResponse<String> send(HttpRequest.Builder builder, String... headers) throws Exception {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.setHeader(headers[i], headers[i + 1]);
    }
    return http.send(builder.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }
}
