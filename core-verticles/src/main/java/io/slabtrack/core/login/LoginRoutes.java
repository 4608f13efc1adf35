package io.slabtrack.core.login;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.ClientAddress;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.limits.RateLimiter;
import io.slabtrack.cluster.mail.Mail;
import io.slabtrack.cluster.metrics.LoginMetrics;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.cluster.validation.Emails;
import io.slabtrack.core.users.User;
import io.slabtrack.core.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passwordless login on core: a six-digit code by mail, exchanged for a 12-hour session (bearer token in the
 * body and core's session cookie). Whatever the address, login/start answers the same and at the same point in
 * time: the mail goes out after the answer, so neither the body nor SMTP latency tells whether an account exists.
 */
public final class LoginRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(LoginRoutes.class);
  private static final Pattern CODE = Pattern.compile("\\d{6}");
  private static final String TOO_MANY = "Too many sign-in requests; try again later";

  private final AppContext ctx;
  private final UserStore users;
  private final LoginCodes codes;
  private final RateLimiter limiter;
  private final ClientAddress clients;
  private final LoginSettings settings;
  private final Mailer mailer;
  private final LoginMetrics metrics;

  LoginRoutes(AppContext ctx, UserStore users, LoginCodes codes, RateLimiter limiter, ClientAddress clients,
      LoginSettings settings, Mailer mailer) {
    this.ctx = ctx;
    this.users = users;
    this.codes = codes;
    this.limiter = limiter;
    this.clients = clients;
    this.settings = settings;
    this.mailer = mailer;
    this.metrics = LoginMetrics.of(ctx.vertx(), ctx.app());
  }

  void mount(Router router) {
    router.post("/api/auth/login/start").handler(this::start);
    router.post("/api/auth/login/verify").handler(this::verify);
    router.post("/api/auth/logout").handler(this::logout);
    router.get("/api/auth/me").handler(ctx.auth().session()).handler(this::me);
  }

  private void start(RoutingContext rc) {
    String email = Emails.normalize(JsonBody.object(rc).getValue("email"), "email");
    if (!mailer.canSend()) {
      throw ApiErrors.unavailable("mail_unavailable", "Sign-in by email is not available right now");
    }
    limiter.hit("login:addr:" + clients.of(rc), settings.perAddressLimit(), settings.window(), TOO_MANY)
        .compose(x -> limiter.hit("login:email:" + email, settings.perEmailLimit(), settings.window(), TOO_MANY))
        .compose(x -> users.byEmail(email))
        // a disabled account gets no code, and its answer is the same as everyone's
        .compose(user -> user.map(User::disabled).orElse(false) ? Future.succeededFuture((String) null)
            : codes.issue(email))
        .onSuccess(code -> {
          Responses.accepted(rc, new JsonObject()
              .put("message", "If this address may sign in, a code is on its way")
              .put("expiresInSeconds", settings.codeTtl().toSeconds()));
          if (code != null) {
            mailer.send(codeMail(email, code))
                .onSuccess(x -> metrics.sent())
                .onFailure(e -> LOG.warn("login code mail to {} failed: {}", email, e.toString()));
          }
        })
        .onFailure(e -> countRateLimited(e, rc));
  }

  private void verify(RoutingContext rc) {
    JsonObject body = JsonBody.object(rc);
    String email = Emails.normalize(body.getValue("email"), "email");
    if (!(body.getValue("code") instanceof String code) || !CODE.matcher(code).matches()) {
      throw ApiErrors.invalidField("code", "code must be the six digits from the mail");
    }
    redeemWithinFailureBudget(email, code)
        .compose(ok -> ok ? users.signIn(email) : Future.failedFuture(new ApiException(401, "invalid_code",
            "The code is wrong, expired or used up; ask for a new one")))
        .compose(user -> user.disabled()
            ? Future.failedFuture(ApiErrors.forbidden("account_disabled", "This account is disabled"))
            : Future.succeededFuture(user))
        .onSuccess(user -> {
          String token = ctx.tokens().mintSession(user.subject(), user.email(), user.roles(), ctx.app(),
              settings.sessionTtl());
          rc.response().addCookie(ctx.auth().sessionCookie(token, settings.sessionTtl()));
          LOG.info("user {} signed in", user.id());
          metrics.verified();
          Responses.ok(rc, new JsonObject()
              .put("token", token)
              .put("tokenType", "Bearer")
              .put("expiresAt", Instant.now().plus(settings.sessionTtl()).toString())
              .put("user", user.toJson()));
        })
        .onFailure(e -> {
          if (e instanceof ApiException api && "invalid_code".equals(api.code())) {
            metrics.failed();
          }
          countRateLimited(e, rc);
        });
  }

  /** Fails the request; a 429 (too many sign-ins or wrong codes) is counted first. */
  private void countRateLimited(Throwable e, RoutingContext rc) {
    if (e instanceof ApiException api && api.status() == 429) {
      metrics.rateLimited();
    }
    rc.fail(e);
  }

  /**
   * Whether {@code code} is the address's live code, within the address's budget of wrong codes (429 past it). Each
   * try is counted as a failure up front, atomically and across nodes, and refunded when the code was right: the
   * budget spans all of the address's codes, and parallel guesses cannot share a slot.
   */
  private Future<Boolean> redeemWithinFailureBudget(String email, String code) {
    return limiter.count("login:verify-failed:" + email, settings.failedVerifiesPerEmail(),
            settings.failedVerifyWindow(), "Too many wrong codes for this address; try again later")
        .compose(hit -> codes.redeem(email, code).compose(ok -> !ok ? Future.succeededFuture(false)
            : limiter.refund(hit)
                .recover(e -> {
                  LOG.warn("could not refund the verify of {}: {}", email, e.toString());
                  return Future.succeededFuture();
                })
                .map(true)));
  }

  /** Sessions are stateless JWTs: logging out drops the cookie; a copied bearer token lives until its exp. */
  private void logout(RoutingContext rc) {
    rc.response().addCookie(ctx.auth().clearedSessionCookie());
    Responses.noContent(rc);
  }

  private void me(RoutingContext rc) {
    VerifiedToken token = AuthHandlers.principal(rc);
    JsonArray roles = new JsonArray();
    token.roles().stream().sorted().forEach(r -> roles.add(r.claim()));
    Responses.ok(rc, new JsonObject().put("id", token.subject()).put("email", token.email()).put("roles", roles)
        .put("expiresAt", token.expiresAt().toString()));
  }

  private Mail codeMail(String email, String code) {
    return new Mail(email, "Your SlabTrack sign-in code",
        "Your SlabTrack sign-in code is " + code + "\n\n"
            + "It works once, for " + settings.codeTtl().toMinutes() + " minutes. "
            + "If you did not ask to sign in, you can ignore this mail.\n");
  }
}
