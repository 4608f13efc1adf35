package io.slabtrack.core.login;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ClientAddress;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.validation.Emails;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Passwordless login on core's JSON API: a six-digit code by mail, exchanged for a 12-hour session (bearer token in
 * the body and core's session cookie). The steps themselves are {@link SignIn}'s, shared with the sign-in page.
 */
public final class LoginRoutes {
  private final AppContext ctx;
  private final SignIn signIn;
  private final ClientAddress clients;

  LoginRoutes(AppContext ctx, SignIn signIn, ClientAddress clients) {
    this.ctx = ctx;
    this.signIn = signIn;
    this.clients = clients;
  }

  void mount(Router router) {
    router.post("/api/auth/login/start").handler(this::start);
    router.post("/api/auth/login/verify").handler(this::verify);
    router.post("/api/auth/logout").handler(this::logout);
    router.get("/api/auth/me").handler(ctx.auth().session()).handler(this::me);
  }

  private void start(RoutingContext rc) {
    String email = Emails.normalize(JsonBody.object(rc).getValue("email"), "email");
    signIn.start(email, clients.of(rc))
        .onSuccess(x -> Responses.accepted(rc, new JsonObject()
            .put("message", "If this address may sign in, a code is on its way")
            .put("expiresInSeconds", signIn.codeTtlSeconds())))
        .onFailure(rc::fail);
  }

  private void verify(RoutingContext rc) {
    JsonObject body = JsonBody.object(rc);
    String email = Emails.normalize(body.getValue("email"), "email");
    if (!(body.getValue("code") instanceof String code)) {
      throw ApiErrors.invalidField("code", "code must be the six digits from the mail");
    }
    signIn.verify(email, code)
        .onSuccess(session -> {
          rc.response().addCookie(signIn.cookie(session));
          Responses.ok(rc, new JsonObject()
              .put("token", session.token())
              .put("tokenType", "Bearer")
              .put("expiresAt", session.expiresAt().toString())
              .put("user", session.user().toJson()));
        })
        .onFailure(rc::fail);
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
}
