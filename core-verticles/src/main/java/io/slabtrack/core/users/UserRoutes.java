package io.slabtrack.core.users;

import io.slabtrack.cluster.validation.Emails;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * The operator's user API: list, look at, create (vendors, usually) and change (roles, disabled) accounts.
 * Buyers are never created here; they appear by signing in.
 */
public final class UserRoutes {
  private static final int MAX_PAGE = 200;
  private static final int MAX_NAME = 100;

  private final UserStore users;

  private UserRoutes(UserStore users) {
    this.users = users;
  }

  public static void mount(Router router, AppContext ctx, UserStore users) {
    UserRoutes routes = new UserRoutes(users);
    Handler<RoutingContext> operator = ctx.auth().session(Role.OPERATOR);
    router.get("/api/users").handler(operator).handler(routes::list);
    router.post("/api/users").handler(operator).handler(routes::create);
    router.get("/api/users/:id").handler(operator).handler(routes::show);
    router.patch("/api/users/:id").handler(operator).handler(routes::patch);
  }

  private void list(RoutingContext rc) {
    long after = longParam(rc.queryParams().get("after"), "after", 0);
    int limit = (int) Math.max(1, Math.min(longParam(rc.queryParams().get("limit"), "limit", 50), MAX_PAGE));
    users.list(after, limit).onSuccess(page -> {
      JsonArray items = new JsonArray();
      page.forEach(u -> items.add(u.toJson()));
      Responses.ok(rc, new JsonObject().put("items", items)
          .put("nextAfter", page.size() < limit ? null : page.get(page.size() - 1).id()));
    }).onFailure(rc::fail);
  }

  private void create(RoutingContext rc) {
    JsonObject body = JsonBody.object(rc);
    String email = Emails.normalize(body.getValue("email"), "email");
    String name = displayName(body.getValue("displayName"));
    Set<Role> roles = body.containsKey("roles") ? roles(body.getValue("roles")) : Set.of(Role.VENDOR);
    users.create(email, name == null ? "" : name, roles)
        .onSuccess(u -> Responses.created(rc, "/api/users/" + u.id(), u.toJson()))
        .onFailure(rc::fail);
  }

  private void show(RoutingContext rc) {
    users.byId(id(rc))
        .onSuccess(u -> u.ifPresentOrElse(user -> Responses.ok(rc, user.toJson()),
            () -> rc.fail(ApiErrors.notFound("User"))))
        .onFailure(rc::fail);
  }

  private void patch(RoutingContext rc) {
    long id = id(rc);
    JsonObject body = JsonBody.object(rc);
    Set<Role> roles = body.containsKey("roles") ? roles(body.getValue("roles")) : null;
    Object rawDisabled = body.getValue("disabled");
    if (body.containsKey("disabled") && !(rawDisabled instanceof Boolean)) {
      throw ApiErrors.invalidField("disabled", "disabled must be true or false");
    }
    Boolean disabled = (Boolean) rawDisabled;
    String name = displayName(body.getValue("displayName"));
    if (roles == null && disabled == null && name == null) {
      throw ApiErrors.badRequest("nothing_to_change", "Give roles, disabled or displayName", null);
    }
    // An operator who disables themselves or drops their own operator role may leave nobody able to undo it.
    boolean self = AuthHandlers.principal(rc).subject().equals(Long.toString(id));
    if (self && (Boolean.TRUE.equals(disabled) || (roles != null && !roles.contains(Role.OPERATOR)))) {
      throw ApiErrors.conflict("self_lockout", "Operators cannot disable themselves or drop their own operator role");
    }
    users.patch(id, roles, disabled, name)
        .onSuccess(u -> u.ifPresentOrElse(user -> Responses.ok(rc, user.toJson()),
            () -> rc.fail(ApiErrors.notFound("User"))))
        .onFailure(rc::fail);
  }

  private static long id(RoutingContext rc) {
    return longParam(rc.pathParam("id"), "id", -1);
  }

  private static long longParam(String raw, String name, long fallback) {
    if (raw == null) {
      return fallback;
    }
    try {
      long v = Long.parseLong(raw);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiErrors.invalidField(name, name + " must be a non-negative integer");
  }

  private static String displayName(Object raw) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String s) || s.strip().length() > MAX_NAME) {
      throw ApiErrors.invalidField("displayName", "displayName must be text of at most " + MAX_NAME + " characters");
    }
    return s.strip();
  }

  private static Set<Role> roles(Object raw) {
    ApiException bad = ApiErrors.invalidField("roles", "roles must be a list of operator, vendor, buyer");
    if (!(raw instanceof JsonArray array)) {
      throw bad;
    }
    Set<Role> out = EnumSet.noneOf(Role.class);
    for (Object o : array) {
      out.add(Role.fromClaim(o instanceof String s ? s : "").orElseThrow(() -> bad));
    }
    return Set.copyOf(out);
  }
}
