package io.slabtrack.cluster.outbox;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

/**
 * An inbox address's consumer together with its batch address's ({@link Inbox#batchAddress}): callers keep one
 * handle, and unregistering it (a verticle undeployed, a test swapping receivers) takes both off the bus.
 */
final class PairedConsumer implements MessageConsumer<JsonObject> {
  private final MessageConsumer<JsonObject> main;
  private final MessageConsumer<JsonObject> batches;

  PairedConsumer(MessageConsumer<JsonObject> main, MessageConsumer<JsonObject> batches) {
    this.main = main;
    this.batches = batches;
  }

  @Override
  public MessageConsumer<JsonObject> exceptionHandler(Handler<Throwable> handler) {
    main.exceptionHandler(handler);
    batches.exceptionHandler(handler);
    return this;
  }

  @Override
  public MessageConsumer<JsonObject> handler(Handler<Message<JsonObject>> handler) {
    main.handler(handler);
    batches.handler(handler);
    return this;
  }

  @Override
  public MessageConsumer<JsonObject> pause() {
    main.pause();
    batches.pause();
    return this;
  }

  @Override
  public MessageConsumer<JsonObject> resume() {
    main.resume();
    batches.resume();
    return this;
  }

  @Override
  public MessageConsumer<JsonObject> fetch(long amount) {
    main.fetch(amount);
    batches.fetch(amount);
    return this;
  }

  @Override
  public MessageConsumer<JsonObject> endHandler(Handler<Void> endHandler) {
    main.endHandler(endHandler);
    return this;
  }

  @Override
  public ReadStream<JsonObject> bodyStream() {
    return main.bodyStream();
  }

  @Override
  public boolean isRegistered() {
    return main.isRegistered() && batches.isRegistered();
  }

  @Override
  public String address() {
    return main.address();
  }

  @Override
  public Future<Void> completion() {
    return Future.all(main.completion(), batches.completion()).mapEmpty();
  }

  @Override
  public Future<Void> unregister() {
    return Future.all(main.unregister(), batches.unregister()).mapEmpty();
  }
}
