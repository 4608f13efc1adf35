package io.slabtrack.cluster.testing;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * A browser as far as HTTP goes, for HTML-level tests: keeps cookies, asks for HTML, sends its Origin with form
 * posts, and does not follow redirects (tests look at each one).
 */
public final class PageClient {
  private final String base;
  private final HttpClient http;

  public PageClient(String base) {
    this.base = base;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  }

  public record Page(int status, String body, HttpResponse<String> raw) {
    public Document doc() {
      return Jsoup.parse(body);
    }

    public String location() {
      return raw.headers().firstValue("Location").orElse(null);
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + location() + " " + body;
    }
  }

  public Page get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/html,*/*;q=0.8").GET());
  }

  public Page post(String path, Map<String, String> form) throws Exception {
    return post(path, form, base);
  }

  public Page post(String path, Map<String, String> form, String origin) throws Exception {
    StringJoiner body = new StringJoiner("&");
    form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Accept", "text/html,*/*;q=0.8")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (origin != null) {
      b.header("Origin", origin);
    }
    return send(b);
  }

  private URI uri(String path) {
    return URI.create(path.startsWith("http") ? path : base + path);
  }

  private Page send(HttpRequest.Builder b) throws Exception {
    HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    return new Page(r.statusCode(), r.body(), r);
  }
}
