package io.slabtrack.cluster.salelock;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.BusService;
import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The lock API on the event bus, for clients in any language: {@code salelock.acquire|extend|release|list}.
 * Failures reply with the HTTP-like status as failure code and the JSON error body as message.
 */
public final class SaleLockBusVerticle extends VerticleBase {
  private final SaleLocks locks;

  public SaleLockBusVerticle(SaleLocks locks) {
    this.locks = locks;
  }

  @Override
  public Future<?> start() {
    return Future.all(List.of(
        serve(Addresses.SALELOCK_ACQUIRE, this::acquire),
        serve(Addresses.SALELOCK_EXTEND, this::extend),
        serve(Addresses.SALELOCK_RELEASE, this::release),
        serve(Addresses.SALELOCK_LIST, body -> locks.active().map(SaleLockBusVerticle::locksJson))));
  }

  private Future<JsonObject> acquire(JsonObject body) {
    AcquireRequest request = AcquireRequest.fromJson(body, locks.settings().defaultTtl(), locks.settings().maxTtl());
    return locks.acquire(request).map(SaleLockBusVerticle::locksJson);
  }

  private Future<JsonObject> extend(JsonObject body) {
    Object ttl = body.getValue("ttlSeconds");
    Duration duration = locks.settings().defaultTtl();
    if (ttl != null) {
      if (!(ttl instanceof Number n)) {
        throw ApiErrors.invalidField("ttlSeconds", "ttlSeconds must be a number");
      }
      duration = Duration.ofSeconds(n.longValue());
    }
    return locks.extend(body.getString("lockRef"), duration).map(SaleLockBusVerticle::locksJson);
  }

  private Future<JsonObject> release(JsonObject body) {
    String lockRef = body.getString("lockRef");
    AcquireRequest.requireLockRef(lockRef);
    JsonArray cards = body.getJsonArray("cardIds");
    Future<Integer> released = cards == null ? locks.release(lockRef) : locks.release(lockRef,
        AcquireRequest.longs(cards));
    return released.map(n -> new JsonObject().put("lockRef", lockRef).put("released", n));
  }

  static JsonObject locksJson(List<SaleLock> held) {
    JsonArray array = new JsonArray();
    held.forEach(l -> array.add(l.toJson()));
    return new JsonObject().put("locks", array);
  }

  private Future<Void> serve(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return BusService.serve(vertx, address, handler);
  }
}
