package io.slabtrack.core.login;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.http.ClientAddress;
import io.slabtrack.cluster.limits.RateLimiter;
import io.slabtrack.cluster.mail.MailSettings;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.core.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires passwordless login into core: its settings, mail sender and routes, and (as a verticle) the hourly sweep
 * of expired codes (the shared LimitsRetention purges old rate-limit windows), which only keeps the tables small; correctness never depends on it.
 */
public final class LoginFeature extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LoginFeature.class);
  private static final long SWEEP_MS = 3_600_000;

  private final LoginCodes codes;
  private final SignIn signIn;
  private final LoginRoutes routes;

  public LoginFeature(AppContext ctx, UserStore users) {
    LoginSettings settings = LoginSettings.from(ctx.config().settings());
    Mailer mailer = Mailer.create(ctx.vertx(), MailSettings.from(ctx.config().settings()), ctx.config().mode(),
        "core login codes");
    this.codes = new LoginCodes(ctx.pool(), new CodeHasher(ctx.config().jwtSecret(), ctx.config().jwtSecretPrevious()), settings);
    this.signIn = new SignIn(ctx, users, codes, new RateLimiter(ctx.pool()), settings, mailer);
    this.routes = new LoginRoutes(ctx, signIn, ClientAddress.fromSettings(ctx.config().settings()));
  }

  /** The sign-in steps, for core's pages. */
  public SignIn signIn() {
    return signIn;
  }

  public void mount(Router router) {
    routes.mount(router);
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(SWEEP_MS, id -> codes.sweep().onFailure(e -> LOG.warn("login sweep failed: {}", e.toString())));
    return Future.succeededFuture();
  }
}
