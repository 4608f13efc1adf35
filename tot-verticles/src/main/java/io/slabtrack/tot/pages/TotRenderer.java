package io.slabtrack.tot.pages;

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
import java.util.List;
import java.util.Map;

/**
 * ToT's pages in the shared layout: its templates, {@code tot.css}, the shared {@code site.js} then {@code tot.js},
 * and on the play page {@code verify.js} (the in-browser fairness check, a file of its own so tests run the very same
 * code).
 */
final class TotRenderer {
  static final String TEMPLATES_PACKAGE = "io.slabtrack.tot.pages.templates";
  static final List<String> ASSETS = List.of("tot.css", "tot.js", "verify.js");

  private final WebLayer web;
  private final TemplateEngine engine;

  private TotRenderer(WebLayer web, TemplateEngine engine) {
    this.web = web;
    this.engine = engine;
  }

  /** The play page's Pay form leads to the payment page's origin, so the CSP's form-action names it. */
  static TotRenderer create(StripeSettings stripe) {
    WebLayer web = WebLayer.shared().with(Assets.fromClasspath(TotRenderer.class, "web/tot/", ASSETS),
        PageSecurity.payingWith(stripe));
    return new TotRenderer(web, Html.engine(TotRenderer.class, TEMPLATES_PACKAGE));
  }

  WebLayer web() {
    return web;
  }

  Content part(String template, Object view) {
    return web.part(template, view);
  }

  Future<Void> send(RoutingContext rc, int status, String title, Views.Header header, String template, Object view) {
    return web.send(rc, status, page(title, Html.render(engine, "header.jte", header), template, view));
  }

  /** A page already rendered ({@code SharedPage} filled for this request), with the page headers. */
  Future<Void> send(RoutingContext rc, int status, Buffer html) {
    return web.send(rc, status, html);
  }

  /** The whole page as HTML, its header given (a hole of a {@code SharedPage}, say). */
  String html(String title, Content header, String template, Object view) {
    return web.render(page(title, header, template, view));
  }

  /** One template with its parameters by name (a tile: {@code tile.jte}), as HTML. */
  String fragment(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput(2048);
    engine.render(template, params, out);
    return out.toString();
  }

  /** One template with its one view (the header), as HTML. */
  String fragment(String template, Object view) {
    StringOutput out = new StringOutput(1024);
    engine.render(template, view, out);
    return out.toString();
  }

  private Page page(String title, Content header, String template, Object view) {
    List<String> scripts = template.equals("play.jte")
        ? List.of(web.asset("site.js"), web.asset("verify.js"), web.asset("tot.js"))
        : List.of(web.asset("site.js"), web.asset("tot.js"), web.asset("live.js"));
    return new Page(title + " · ThisOrThat", null, "tot", List.of(web.asset("tot.css")), scripts, header,
        Html.render(engine, template, view), Html.EMPTY);
  }
}
