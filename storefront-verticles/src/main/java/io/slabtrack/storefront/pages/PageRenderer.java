package io.slabtrack.storefront.pages;

import gg.jte.Content;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.cluster.web.Assets;
import io.slabtrack.cluster.web.Html;
import io.slabtrack.cluster.web.Page;
import io.slabtrack.cluster.web.PageSecurity;
import io.slabtrack.cluster.web.WebLayer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Storefront's pages in the shared layout: its templates, {@code shop.css} with the themes, the shared
 * {@code site.js} then {@code shop.js}.
 */
final class PageRenderer {
  static final String TEMPLATES_PACKAGE = "io.slabtrack.storefront.pages.templates";
  static final List<String> ASSETS = List.of("shop.css", "shop.js", "placeholder.svg");

  private final WebLayer web;
  private final TemplateEngine engine;

  private PageRenderer(WebLayer web, TemplateEngine engine) {
    this.web = web;
    this.engine = engine;
  }

  /** Checkout forms lead to the payment page's origin, so the CSP's form-action names it. */
  static PageRenderer create(StripeSettings stripe) {
    WebLayer web = WebLayer.shared().with(Assets.fromClasspath(PageRenderer.class, "web/storefront/", ASSETS),
        PageSecurity.payingWith(stripe));
    return new PageRenderer(web, Html.engine(PageRenderer.class, TEMPLATES_PACKAGE));
  }

  WebLayer web() {
    return web;
  }

  String asset(String name) {
    return web.asset(name);
  }

  Future<Void> send(RoutingContext rc, int status, String title, ShopTheme theme, Views.Header header,
                    String template, Object view) {
    return web.send(rc, status, page(title, theme,
        header == null ? Html.render(engine, "home-header.jte", "/") : Html.render(engine, "header.jte", header),
        template, view));
  }

  /** A page already rendered ({@code SharedPage} filled for this request), with the page headers. */
  Future<Void> send(RoutingContext rc, int status, Buffer html) {
    return web.send(rc, status, html);
  }

  /** The whole page as HTML, its header given (a hole of a {@code SharedPage}, say). */
  String html(String title, ShopTheme theme, Content header, String template, Object view) {
    return web.render(page(title, theme, header, template, view));
  }

  /** One template with its parameters by name (a tile: {@code tile.jte}), as HTML. */
  String fragment(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput(2048);
    engine.render(template, params, out);
    return out.toString();
  }

  /** One template with its one view (the shop's header), as HTML. */
  String fragment(String template, Object view) {
    StringOutput out = new StringOutput(1024);
    engine.render(template, view, out);
    return out.toString();
  }

  private Page page(String title, ShopTheme theme, Content header, String template, Object view) {
    List<String> styles = new ArrayList<>();
    styles.add(asset("shop.css"));
    styles.addAll(theme.extraStyles());
    return new Page(title, null, theme.bodyClass(), styles,
        List.of(asset("site.js"), asset("shop.js"), asset("live.js")), header, Html.render(engine, template, view),
        Html.EMPTY);
  }
}
