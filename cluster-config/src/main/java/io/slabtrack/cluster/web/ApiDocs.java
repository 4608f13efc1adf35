package io.slabtrack.cluster.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * {@code GET /docs}: Swagger UI on the app's own {@code /openapi.json}, so operators (and vendors, buyers, peers) can
 * read the API and run its calls from a browser with their session cookie. Swagger UI comes from the
 * {@code org.webjars:swagger-ui} jar, served by the app like every other asset (fingerprinted under
 * {@code /assets/}, no CDN), and the page carries the same Content-Security-Policy as every page of ours: the
 * starter is a file ({@code web/docs/docs.js}), so no inline script is needed.
 *
 * <p>Public in every app ({@code PublicRoutes.EVERY_APP}): the shape of an API is no secret (core's document was
 * public before), and every call the explorer makes still goes through the app's guards with the caller's session.
 */
public final class ApiDocs {
  public static final String PATH = "/docs";
  public static final String DOCUMENT_PATH = "/openapi.json";
  private static final String WEBJAR = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

  /** Loaded once per JVM (about 2 MB): every app and verticle instance serves the same bytes. */
  private static final Assets ASSETS = Assets.fromClasspath(ApiDocs.class, "META-INF/resources/webjars/swagger-ui/"
          + webjarVersion() + "/", List.of("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"))
      .plus(Assets.fromClasspath(ApiDocs.class, "web/docs/", List.of("docs.js")));

  private ApiDocs() {
  }

  /** Mounts {@code GET /docs} and the explorer's assets; {@code title} (a constant of ours, not escaped) names the API. */
  public static void mount(Router router, String title) {
    ASSETS.mount(router);
    String html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + title + "</title>"
        + "<link rel=\"stylesheet\" href=\"" + ASSETS.url("swagger-ui.css") + "\">"
        + "<link rel=\"icon\" type=\"image/png\" href=\"" + ASSETS.url("favicon-32x32.png") + "\">"
        + "</head><body><div id=\"swagger-ui\" data-spec=\"" + DOCUMENT_PATH + "\"></div>"
        + "<script src=\"" + ASSETS.url("swagger-ui-bundle.js") + "\"></script>"
        + "<script src=\"" + ASSETS.url("docs.js") + "\"></script></body></html>";
    router.get(PATH).handler(rc -> page(rc, html));
  }

  private static void page(RoutingContext rc, String html) {
    PageSecurity.SELF_ONLY.apply(rc.response());
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").end(html);
  }

  /** An app's OpenAPI document from its classpath, checked to be JSON (a broken document fails the app's start). */
  public static String readDocument(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("OpenAPI document " + resource + " is not on the classpath");
      }
      return new io.vertx.core.json.JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .encode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String webjarVersion() {
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR)) {
      if (in == null) {
        throw new IllegalStateException("the swagger-ui webjar is not on the classpath (" + WEBJAR + ")");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
