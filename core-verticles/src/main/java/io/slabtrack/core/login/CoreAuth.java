package io.slabtrack.core.login;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.core.handoff.HandoffRoutes;
import io.slabtrack.core.pages.SignInPages;
import io.slabtrack.core.users.SessionRevocationsSync;
import io.slabtrack.core.users.UserRoutes;
import io.slabtrack.core.users.UserStore;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's side of issue 5 in one place for {@code CoreApp}: users and their operator API, passwordless login, and
 * the SSO handoff into the satellites. {@code CoreApp} calls one method of it from each of its hooks.
 */
public final class CoreAuth {
  public static final String DEMO_OPERATOR = "operator@slabtrack.local";
  private static final Logger LOG = LoggerFactory.getLogger(CoreAuth.class);

  private final AppContext ctx;
  private final UserStore users;
  private final LoginFeature login;
  private final HandoffRoutes handoffs;

  public CoreAuth(AppContext ctx) {
    this.ctx = ctx;
    this.users = new UserStore(ctx.pool(), ctx.disabledUsers(), ctx.sessionsValidAfter());
    this.login = new LoginFeature(ctx, users);
    this.handoffs = HandoffRoutes.create(ctx, users);
  }

  public UserStore users() {
    return users;
  }

  /** Publishes disabled users and session revocations before core serves, and starts the periodic jobs. */
  public Future<Void> deploy() {
    return ctx.vertx().deployVerticle(new SessionRevocationsSync(users))
        .compose(x -> ctx.vertx().deployVerticle(login))
        .mapEmpty();
  }

  public void mount(Router router) {
    UserRoutes.mount(router, ctx, users);
    login.mount(router);
    handoffs.mount(router);
    SignInPages.mount(router, ctx, login.signIn(), handoffs);
  }

  /** The demo operator; sign in as them with a code from the dev log. */
  public Future<Void> seedDemo() {
    return users.seed(DEMO_OPERATOR, "Demo operator", Set.of(Role.OPERATOR, Role.BUYER))
        .onSuccess(x -> LOG.info("demo operator: sign in at core with {} (the code is in this log)", DEMO_OPERATOR));
  }
}
