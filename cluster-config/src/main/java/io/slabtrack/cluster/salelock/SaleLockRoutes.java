package io.slabtrack.cluster.salelock;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.Responses;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock API over HTTP, as in the original, on every app's node (any node can lock, core need not be up):
 * acquire / extend / release take a service token or an operator session; the list and the force release are
 * operator views. Core adds {@code /api/sale-locks/complete} itself, since deciding claims is core's job.
 */
public final class SaleLockRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SaleLockRoutes.class);
  private final SaleLocks locks;

  private SaleLockRoutes(SaleLocks locks) {
    this.locks = locks;
  }

  public static void mount(Router router, SaleLocks locks, AuthHandlers auth) {
    SaleLockRoutes routes = new SaleLockRoutes(locks);
    Handler<RoutingContext> peerOrOperator = auth.serviceOrSession(Role.OPERATOR);
    Handler<RoutingContext> operator = auth.session(Role.OPERATOR);
    router.post("/api/sale-locks/acquire").handler(peerOrOperator).handler(routes::acquire);
    router.post("/api/sale-locks/extend").handler(peerOrOperator).handler(routes::extend);
    router.post("/api/sale-locks/release").handler(peerOrOperator).handler(routes::release);
    router.get("/api/sale-locks").handler(operator).handler(routes::list);
    router.get("/api/sale-locks/:cardId").handler(operator).handler(routes::one);
    router.delete("/api/sale-locks/:cardId").handler(operator).handler(routes::forceRelease);
  }

  private void acquire(RoutingContext rc) {
    AcquireRequest request = AcquireRequest.fromJson(body(rc), locks.settings().defaultTtl(),
        locks.settings().maxTtl());
    locks.acquire(request).onSuccess(held -> Responses.ok(rc, SaleLockBusVerticle.locksJson(held)))
        .onFailure(rc::fail);
  }

  private void extend(RoutingContext rc) {
    JsonObject body = body(rc);
    Duration ttl = locks.settings().defaultTtl();
    Object raw = body.getValue("ttlSeconds");
    if (raw != null) {
      if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw ApiErrors.invalidField("ttlSeconds", "ttlSeconds must be a whole number of seconds");
      }
      ttl = Duration.ofSeconds(n.longValue());
    }
    locks.extend(body.getString("lockRef"), ttl)
        .onSuccess(held -> Responses.ok(rc, SaleLockBusVerticle.locksJson(held))).onFailure(rc::fail);
  }

  private void release(RoutingContext rc) {
    JsonObject body = body(rc);
    Object lockRef = body.getValue("lockRef");
    AcquireRequest.requireLockRef(lockRef instanceof String s ? s : null);
    JsonArray cards = body.getValue("cardIds") instanceof JsonArray a ? a : null;
    var released = cards == null ? locks.release((String) lockRef)
        : locks.release((String) lockRef, AcquireRequest.longs(cards));
    released.onSuccess(n -> Responses.ok(rc, new JsonObject().put("lockRef", lockRef).put("released", n)))
        .onFailure(rc::fail);
  }

  private void list(RoutingContext rc) {
    locks.active().onSuccess(held -> {
      Instant now = locks.clock().instant();
      JsonArray array = new JsonArray();
      held.forEach(l -> array.add(l.toJson()
          .put("remainingSeconds", Math.max(0, Duration.between(now, l.expiresAt()).toSeconds()))));
      Responses.ok(rc, new JsonObject().put("locks", array).put("count", array.size()));
    }).onFailure(rc::fail);
  }

  private void one(RoutingContext rc) {
    long cardId = cardId(rc);
    locks.describe(cardId).onSuccess(view -> Responses.ok(rc, view)).onFailure(rc::fail);
  }

  private void forceRelease(RoutingContext rc) {
    long cardId = cardId(rc);
    String operator = AuthHandlers.principal(rc).subject();
    locks.forceRelease(cardId).onSuccess(released -> {
      if (released.isEmpty()) {
        rc.fail(ApiErrors.notFound("Lock on card " + cardId));
        return;
      }
      LOG.warn("sale-lock force-released by operator {}: card {} (was {} on {}, order {})", operator, cardId,
          released.get().lockRef(), released.get().channel(), released.get().orderRef());
      locks.forceReleaseListener().onForceRelease(released.get(), operator);
      Responses.noContent(rc);
    }).onFailure(rc::fail);
  }

  private static long cardId(RoutingContext rc) {
    try {
      long id = Long.parseLong(rc.pathParam("cardId"));
      if (id <= 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw ApiErrors.invalidField("cardId", "cardId must be a positive integer");
    }
  }

  private static JsonObject body(RoutingContext rc) {
    try {
      JsonObject body = rc.body().asJsonObject();
      if (body == null) {
        throw ApiErrors.badRequest("invalid_body", "Send a JSON object", null);
      }
      return body;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw ApiErrors.badRequest("invalid_json", "The body is not a JSON object", null);
    }
  }
}
