package io.slabtrack.cluster.web;

import gg.jte.Content;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The one way every app renders pages (README, "Web pages"): the shared layout and design tokens
 * ({@code site.css}), the script the apps' pages share ({@code site.js}, which an app lists before its own),
 * fingerprinted assets, the page security headers and the HTML error pages. An app adds its own assets and form
 * targets with {@link #with}; its page templates are its own (see {@link Html#engine}).
 */
public final class WebLayer {
  public static final String TEMPLATES_PACKAGE = "io.slabtrack.cluster.web.templates";
  static final List<String> SHARED_ASSETS = List.of("site.css", "icon.svg", "site.js", "live.js");
  private static final WebLayer SHARED = new WebLayer(Html.engine(WebLayer.class, TEMPLATES_PACKAGE),
      Assets.fromClasspath(WebLayer.class, "web/assets/", SHARED_ASSETS), PageSecurity.SELF_ONLY);

  private final TemplateEngine engine;
  private final Assets assets;
  private final PageSecurity security;

  private WebLayer(TemplateEngine engine, Assets assets, PageSecurity security) {
    this.engine = engine;
    this.assets = assets;
    this.security = security;
  }

  /** The shared layer alone: what error pages of any app use. Immutable, built once per JVM. */
  public static WebLayer shared() {
    return SHARED;
  }

  /** An app's layer: the shared assets plus its own, and its page security. */
  public WebLayer with(Assets appAssets, PageSecurity appSecurity) {
    return new WebLayer(engine, assets.plus(appAssets), appSecurity);
  }

  public Assets assets() {
    return assets;
  }

  public String asset(String name) {
    return assets.url(name);
  }

  public PageSecurity security() {
    return security;
  }

  /** Serves the shared assets ({@code /assets/…}); every app's router has this, so error pages are styled. */
  public static void mountSharedAssets(Router router) {
    SHARED.assets.mount(router);
  }

  /** A shared part (e.g. {@code shipping-fields.jte}) for an app's page to place inside its own template. */
  public Content part(String template, Object view) {
    return Html.render(engine, template, view);
  }

  /** A page in the shared layout, with the security headers. */
  public Future<Void> send(RoutingContext rc, int status, Page page) {
    var response = rc.response();
    security.apply(response);
    return response.setStatusCode(status).end(render(page));
  }

  /** A page in the shared layout, as HTML (e.g. to cut into a {@link SharedPage}). */
  public String render(Page page) {
    StringOutput out = new StringOutput(16 * 1024);
    engine.render("layout.jte", new Layout(page, asset("site.css"), asset("icon.svg")), out);
    return out.toString();
  }

  /** A page already in the layout (a {@link SharedPage} filled for this request), with the security headers. */
  public Future<Void> send(RoutingContext rc, int status, Buffer html) {
    var response = rc.response();
    security.apply(response);
    return response.setStatusCode(status).end(html);
  }

  /** The error as a page of the site (404, 403, 500 …); a 500 shows the correlation id the log line has. */
  public Future<Void> sendError(RoutingContext rc, ApiException error) {
    ErrorView view = ErrorView.of(error);
    return send(rc, error.status(), Page.simple(view.heading() + " · SlabTrack",
        Html.render(engine, "brand.jte", "/"), Html.render(engine, "error.jte", view)));
  }

  /**
   * A browser asking for a page: anything outside {@code /api} whose Accept names HTML. API clients (and scripts
   * without an Accept header) keep the JSON error bodies of API-CONVENTIONS.md.
   */
  public static boolean wantsHtml(RoutingContext rc) {
    String path = rc.normalizedPath();
    if (path.equals("/api") || path.startsWith("/api/")) {
      return false;
    }
    String accept = rc.request().getHeader(HttpHeaders.ACCEPT);
    return accept != null && accept.contains("text/html");
  }

  /** What the layout template receives. */
  public record Layout(Page page, String siteCss, String icon) {
  }
}
