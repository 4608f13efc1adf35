package io.slabtrack.cluster.logging;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * First handler of every app router: gives the request its id — the caller's {@code X-Request-Id} when it is
 * well-formed (a proxy's or another app's), else a new one — for the logs of everything the request does and for
 * the answer's {@code X-Request-Id} header, so a person can quote it.
 */
public final class RequestIds implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(Correlation.HTTP_HEADER);
    // a forged id could still collide with another request's: accept only a sane shape, and bound it
    String id = incoming != null && incoming.length() >= 8 && incoming.length() <= 64 && Correlation.wellFormed(incoming)
        ? incoming : UUID.randomUUID().toString();
    Correlation.put(Correlation.REQUEST_ID, id);
    ctx.response().putHeader(Correlation.HTTP_HEADER, id);
    ctx.next();
  }
}
