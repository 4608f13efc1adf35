package io.slabtrack.cluster.web;

import io.slabtrack.cluster.auth.OriginCheck;
import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** What every page form handler of every app does the same way: the CSRF rule, and the redirect after a post. */
public final class Forms {
  private Forms() {
  }

  /**
   * Every page form changes something: it must come from this site (the API's CSRF/Origin rule,
   * {@link OriginCheck#fromThisSite}), session or not; otherwise a 403 with {@code message}.
   */
  public static void requireThisSite(RoutingContext rc, String message) {
    if (!OriginCheck.fromThisSite(rc.request())) {
      throw ApiErrors.forbidden("csrf_rejected", message);
    }
  }

  /** 303 See Other: after a form post the browser GETs {@code location}, so a reload never posts again. */
  public static Future<Void> redirect(RoutingContext rc, String location) {
    return rc.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, location).end();
  }
}
