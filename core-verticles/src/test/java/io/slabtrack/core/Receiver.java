package io.slabtrack.core;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A stand-in satellite: acknowledges every message on one address and keeps what it got, in arrival order. */
public final class Receiver implements AutoCloseable {
  private final MessageConsumer<JsonObject> consumer;
  public final List<JsonObject> got = new CopyOnWriteArrayList<>();

  private Receiver(Vertx vertx, String address) throws Exception {
    consumer = vertx.eventBus().consumer(address, msg -> {
      got.add(msg.body());
      msg.reply(new JsonObject().put("ok", true));
    });
    consumer.completion().await(10, TimeUnit.SECONDS);
  }

  public static Receiver on(Vertx vertx, String address) throws Exception {
    return new Receiver(vertx, address);
  }

  public List<JsonObject> matching(Predicate<JsonObject> p) {
    return got.stream().filter(p).toList();
  }

  /** Messages about one card (singles carry cardId; lots list it in lot.cardIds). */
  public List<JsonObject> about(long cardId) {
    return matching(m -> Long.valueOf(cardId).equals(m.getLong("cardId"))
        || (m.getJsonObject("lot") != null && m.getJsonObject("lot").getJsonArray("cardIds").stream()
            .anyMatch(o -> ((Number) o).longValue() == cardId)));
  }

  @Override
  public void close() throws Exception {
    consumer.unregister().await(10, TimeUnit.SECONDS);
  }
}
