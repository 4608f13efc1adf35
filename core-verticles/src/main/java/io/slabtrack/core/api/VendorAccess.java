package io.slabtrack.core.api;

import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call core's {@code /api}: operators everything; a vendor session only the routes below, and there only its
 * own cards, jobs and orders (the features check ownership with {@link #ownerScope}); everyone else nothing. The
 * list is explicit, so a route added tomorrow is operator-only until someone opens it here, and a test walks every
 * route with a vendor session against it.
 */
public final class VendorAccess {
  /**
   * The routes a vendor may call (patterns as in {@link PublicRoutes}, matched on the canonical path). Disengaging is
   * opened with engaging: a vendor who can list a card on its shop must be able to take it down again.
   */
  public static final PublicRoutes VENDOR_ROUTES = PublicRoutes.of(
      "GET /api/channels",
      "GET /api/cards",
      "POST /api/cards",
      "GET /api/cards/:id",
      "PATCH /api/cards/:id",
      "POST /api/cards/import",
      "GET /api/jobs/:id",
      "POST /api/cards/:id/channels/:channel",
      "DELETE /api/cards/:id/channels/:channel",
      "POST /api/channels/commit",
      "GET /api/orders");

  /** The rule every vendor 403 names. */
  public static final String RULE = "a vendor may create, edit, import and engage its own cards (on ThisOrThat and "
      + "its own shops) and read its own imports and orders; everything else is operator-only";

  private VendorAccess() {
  }

  /** Runs after the session guard: operator → on; vendor → on for {@link #VENDOR_ROUTES} only; else 403. */
  public static Handler<RoutingContext> gate() {
    return rc -> {
      VerifiedToken who = AuthHandlers.principal(rc);
      if (who.roles().contains(Role.OPERATOR)) {
        rc.next();
      } else if (who.roles().contains(Role.VENDOR)) {
        if (VENDOR_ROUTES.allows(rc.request().method(), rc.request().path())) {
          rc.next();
        } else {
          rc.fail(ApiErrors.forbidden("operator_only", rc.request().method() + " " + rc.request().path()
              + " is operator-only: " + RULE));
        }
      } else {
        rc.fail(ApiErrors.forbidden("forbidden", "This route needs one of the roles: operator, vendor"));
      }
    };
  }

  /** Empty for an operator (no limit); a vendor's user id, the {@code ownerId} of the cards it may touch. */
  public static Optional<String> ownerScope(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    return who.roles().contains(Role.OPERATOR) ? Optional.empty() : Optional.of(who.subject());
  }

  /** Channels a vendor may engage its cards on: the ecosystem's own marketplaces. */
  public static final Set<String> VENDOR_CHANNELS = Set.of("thisorthat", "storefront");
}
