package io.slabtrack.core.pages;

import gg.jte.TemplateEngine;
import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.ClientAddress;
import io.slabtrack.cluster.validation.Emails;
import io.slabtrack.cluster.web.Assets;
import io.slabtrack.cluster.web.Forms;
import io.slabtrack.cluster.web.Html;
import io.slabtrack.cluster.web.Page;
import io.slabtrack.cluster.web.PageSecurity;
import io.slabtrack.cluster.web.WebLayer;
import io.slabtrack.core.handoff.HandoffRoutes;
import io.slabtrack.core.login.SignIn;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Core's pages, where people start: sign in with a mailed code ({@link SignIn}, the same limits and codes as the
 * API), then a home page with where the account may go next — a shop owner (vendor) or operator into the
 * Storefront's manage page through a one-time handoff, an operator to the API explorer — and sign out. Without
 * them, a shop owner had no way in from a browser: the Storefront's owner pages take a session only core hands out.
 */
public final class SignInPages {
  /** The pages anyone may load or post (the sign-in steps); going on to a satellite needs a session. */
  public static final PublicRoutes PUBLIC_ROUTES = PublicRoutes.of(
      "GET /",
      "POST /signin",
      "POST /signin/code",
      "POST /signout");
  static final String TEMPLATES_PACKAGE = "io.slabtrack.core.pages.templates";
  private static final long FORM_LIMIT = 4 * 1024;

  private final WebLayer web;
  private final TemplateEngine engine;
  private final AppContext ctx;
  private final SignIn signIn;
  private final HandoffRoutes handoffs;
  private final ClientAddress clients;

  private SignInPages(AppContext ctx, SignIn signIn, HandoffRoutes handoffs) {
    // the handoff form answers with a redirect to the Storefront, which Chrome checks against form-action
    this.web = WebLayer.shared().with(Assets.fromClasspath(SignInPages.class, "web/core/", List.of("core.css")),
        PageSecurity.SELF_ONLY.allowingFormsTo(handoffs.publicUrl(AppName.STOREFRONT)));
    this.engine = Html.engine(SignInPages.class, TEMPLATES_PACKAGE);
    this.ctx = ctx;
    this.signIn = signIn;
    this.handoffs = handoffs;
    this.clients = ClientAddress.fromSettings(ctx.config().settings());
  }

  public static void mount(Router router, AppContext ctx, SignIn signIn, HandoffRoutes handoffs) {
    SignInPages pages = new SignInPages(ctx, signIn, handoffs);
    pages.web.assets().mount(router);
    for (String path : List.of("/signin", "/signin/code", "/signout", "/go/storefront")) {
      router.post(path).handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT));
    }
    router.get("/").handler(pages::home);
    router.post("/signin").handler(pages::start);
    router.post("/signin/code").handler(pages::verify);
    router.post("/signout").handler(pages::signOut);
    router.post("/go/storefront").handler(ctx.auth().session(Role.VENDOR, Role.OPERATOR)).handler(pages::toShop);
  }

  /** Signed in: where to go next; otherwise the first sign-in step. */
  private void home(RoutingContext rc) {
    ctx.auth().optionalSession(rc).onSuccess(session -> {
      if (session.isPresent()) {
        send(rc, 200, "SlabTrack", "home.jte", HomeView.of(session.get()));
      } else {
        send(rc, 200, "Sign in · SlabTrack", "signin.jte", SignInView.email(null, null));
      }
    }).onFailure(rc::fail);
  }

  /** Step one: a code to the address (the same answer whether or not it may sign in). */
  private void start(RoutingContext rc) {
    Forms.requireThisSite(rc, "The sign-in form must be sent from this site");
    String typed = field(rc, "email");
    String email = emailOrAskAgain(rc, typed);
    if (email == null) {
      return;
    }
    signIn.start(email, clients.of(rc))
        .onSuccess(x -> send(rc, 200, "Enter your code · SlabTrack", "signin.jte",
            SignInView.code(email, null, signIn.codeTtlSeconds() / 60)))
        .onFailure(e -> refused(rc, e, SignInView.email(typed, null)));
  }

  /** Step two: the code for a session cookie, then home (303, so a reload never posts the code again). */
  private void verify(RoutingContext rc) {
    Forms.requireThisSite(rc, "The sign-in form must be sent from this site");
    String typed = field(rc, "email");
    String email = emailOrAskAgain(rc, typed);
    if (email == null) {
      return;
    }
    String code = field(rc, "code").replaceAll("\\s", "");
    signIn.verify(email, code)
        .onSuccess(session -> {
          rc.response().addCookie(signIn.cookie(session));
          Forms.redirect(rc, "/");
        })
        .onFailure(e -> refused(rc, e, SignInView.code(email, null, signIn.codeTtlSeconds() / 60)));
  }

  private void signOut(RoutingContext rc) {
    Forms.requireThisSite(rc, "The sign-out form must be sent from this site");
    rc.response().addCookie(ctx.auth().clearedSessionCookie());
    Forms.redirect(rc, "/");
  }

  /** A one-time link into the Storefront as this user; its landing sends owners on to their manage page. */
  private void toShop(RoutingContext rc) {
    Forms.requireThisSite(rc, "This form must be sent from this site");
    VerifiedToken session = AuthHandlers.principal(rc);
    handoffs.link(session, AppName.STOREFRONT, "/").onSuccess(link -> Forms.redirect(rc, link.url()))
        .onFailure(rc::fail);
  }

  /** The typed address, normalized; or null once the first step is shown again saying what is wrong (400). */
  private String emailOrAskAgain(RoutingContext rc, String typed) {
    try {
      return Emails.normalize(typed, "email");
    } catch (ApiException e) {
      send(rc, 400, "Sign in · SlabTrack", "signin.jte", SignInView.email(typed, e.getMessage()));
      return null;
    }
  }

  /** A refused step shown on its own form, with the API's status and words (bad code, too many tries, no mail). */
  private void refused(RoutingContext rc, Throwable e, SignInView form) {
    if (!(e instanceof ApiException api) || api.status() >= 500 && api.status() != 503) {
      rc.fail(e);
      return;
    }
    if (api.details() != null && api.details().getValue("retryAfterSeconds") != null) {
      rc.response().putHeader("Retry-After", String.valueOf(api.details().getValue("retryAfterSeconds")));
    }
    send(rc, api.status(), "Sign in · SlabTrack", "signin.jte", form.withNotice(api.getMessage()));
  }

  private void send(RoutingContext rc, int status, String title, String template, Object view) {
    web.send(rc, status, new Page(title, null, "", List.of(web.asset("core.css")), List.of(web.asset("site.js")),
        web.part("brand.jte", "/"), Html.render(engine, template, view), Html.EMPTY));
  }

  private static String field(RoutingContext rc, String name) {
    String value = rc.request().getFormAttribute(name);
    return value == null ? "" : value.trim();
  }

  /**
   * The sign-in form at one of its two steps.
   *
   * @param step   {@code email} or {@code code}
   * @param notice what went wrong with the last try, or null
   */
  public record SignInView(String step, String email, String notice, long codeMinutes) {
    static SignInView email(String email, String notice) {
      return new SignInView("email", email == null ? "" : email, notice, 0);
    }

    static SignInView code(String email, String notice, long codeMinutes) {
      return new SignInView("code", email, notice, codeMinutes);
    }

    SignInView withNotice(String notice) {
      return new SignInView(step, email, notice, codeMinutes);
    }
  }

  /** The signed-in person and where they may go. */
  public record HomeView(String email, String roles, boolean mayManageShops, boolean operator) {
    static HomeView of(VerifiedToken session) {
      return new HomeView(session.email(),
          session.roles().stream().map(Role::claim).sorted().collect(Collectors.joining(", ")),
          session.roles().contains(Role.VENDOR) || session.roles().contains(Role.OPERATOR),
          session.roles().contains(Role.OPERATOR));
    }
  }
}
