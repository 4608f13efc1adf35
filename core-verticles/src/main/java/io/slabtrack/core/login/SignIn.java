package io.slabtrack.core.login;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.limits.RateLimiter;
import io.slabtrack.cluster.mail.Mail;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.cluster.metrics.LoginMetrics;
import io.slabtrack.core.users.User;
import io.slabtrack.core.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passwordless sign-in's two steps, one implementation for the JSON API ({@link LoginRoutes}) and the sign-in page
 * ({@code core.pages.SignInPages}): the same limits, codes, mails and metrics whichever a person uses.
 */
public final class SignIn {
  private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);
  private static final Pattern CODE = Pattern.compile("\\d{6}");
  private static final String TOO_MANY = "Too many sign-in requests; try again later";

  private final AppContext ctx;
  private final UserStore users;
  private final LoginCodes codes;
  private final RateLimiter limiter;
  private final LoginSettings settings;
  private final Mailer mailer;
  private final LoginMetrics metrics;

  SignIn(AppContext ctx, UserStore users, LoginCodes codes, RateLimiter limiter, LoginSettings settings,
         Mailer mailer) {
    this.ctx = ctx;
    this.users = users;
    this.codes = codes;
    this.limiter = limiter;
    this.settings = settings;
    this.mailer = mailer;
    this.metrics = LoginMetrics.of(ctx.vertx(), ctx.app());
  }

  /** A session: its token (also the cookie's value), the user it is for and when it ends. */
  public record Session(String token, User user, Instant expiresAt) {
  }

  /** How long a code lives, as the answers say. */
  public long codeTtlSeconds() {
    return settings.codeTtl().toSeconds();
  }

  /**
   * Mails {@code email} (normalized) a code if it may sign in. Whatever the address, this succeeds the same and at
   * the same point in time: the mail goes out after, unawaited, so neither the answer nor SMTP latency tells whether
   * an account exists. Fails with 429 past the limits, 503 without a mail server.
   */
  public Future<Void> start(String email, String clientAddress) {
    if (!mailer.canSend()) {
      return Future.failedFuture(ApiErrors.unavailable("mail_unavailable",
          "Sign-in by email is not available right now"));
    }
    return limiter.hit("login:addr:" + clientAddress, settings.perAddressLimit(), settings.window(), TOO_MANY)
        .compose(x -> limiter.hit("login:email:" + email, settings.perEmailLimit(), settings.window(), TOO_MANY))
        .compose(x -> users.byEmail(email))
        // a disabled account gets no code, and its answer is the same as everyone's
        .compose(user -> user.map(User::disabled).orElse(false) ? Future.succeededFuture((String) null)
            : codes.issue(email))
        .map(code -> {
          if (code != null) {
            mailer.send(codeMail(email, code))
                .onSuccess(x -> metrics.sent())
                .onFailure(e -> LOG.warn("login code mail to {} failed: {}", email, e.toString()));
          }
          return (Void) null;
        })
        .onFailure(this::countRateLimited);
  }

  /**
   * A session for {@code email} (normalized) when {@code code} is its live code: 400 for a code that isn't six
   * digits, 401 {@code invalid_code}, 403 {@code account_disabled}, 429 past the budget of wrong codes.
   */
  public Future<Session> verify(String email, String code) {
    if (code == null || !CODE.matcher(code).matches()) {
      return Future.failedFuture(ApiErrors.invalidField("code", "code must be the six digits from the mail"));
    }
    return redeemWithinFailureBudget(email, code)
        .compose(ok -> ok ? users.signIn(email) : Future.failedFuture(new ApiException(401, "invalid_code",
            "The code is wrong, expired or used up; ask for a new one")))
        .compose(user -> user.disabled()
            ? Future.failedFuture(ApiErrors.forbidden("account_disabled", "This account is disabled"))
            : Future.succeededFuture(user))
        .map(user -> {
          String token = ctx.tokens().mintSession(user.subject(), user.email(), user.roles(), ctx.app(),
              settings.sessionTtl());
          LOG.info("user {} signed in", user.id());
          metrics.verified();
          return new Session(token, user, Instant.now().plus(settings.sessionTtl()));
        })
        .onFailure(e -> {
          if (e instanceof ApiException api && "invalid_code".equals(api.code())) {
            metrics.failed();
          }
          countRateLimited(e);
        });
  }

  /** Core's session cookie carrying {@code session}. */
  public Cookie cookie(Session session) {
    return ctx.auth().sessionCookie(session.token(), settings.sessionTtl());
  }

  private void countRateLimited(Throwable e) {
    if (e instanceof ApiException api && api.status() == 429) {
      metrics.rateLimited();
    }
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

  private Mail codeMail(String email, String code) {
    return new Mail(email, "Your SlabTrack sign-in code",
        "Your SlabTrack sign-in code is " + code + "\n\n"
            + "It works once, for " + settings.codeTtl().toMinutes() + " minutes. "
            + "If you did not ask to sign in, you can ignore this mail.\n");
  }
}
