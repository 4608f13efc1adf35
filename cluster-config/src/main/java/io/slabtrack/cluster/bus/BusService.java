package io.slabtrack.cluster.bus;

import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request-reply address served by a function: the reply is the function's JSON, a failure is replied with the
 * HTTP-like status as failure code and the JSON error body as message (EVENT-BUS.md's convention), so a bus
 * client sees the same error an HTTP client would.
 */
public final class BusService {
  private static final Logger LOG = LoggerFactory.getLogger(BusService.class);

  private BusService() {
  }

  public static Future<Void> serve(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> answer(msg, handler)).completion();
  }

  public static void answer(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      result = handler.apply(msg.body() == null ? new JsonObject() : msg.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(msg::reply).onFailure(e -> {
      ApiException api;
      if (e instanceof ApiException a) {
        api = a;
      } else {
        LOG.warn("{} failed", msg.address(), e);
        api = new ApiException(500, "internal_error", msg.address() + " failed");
      }
      msg.fail(api.status(), api.toJson().encode());
    });
  }
}
