package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Migrations;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Shared plumbing of the outbox tests: a throwaway migrated database, blocking helpers, polling. */
final class OutboxTestSupport {
  static final Duration WAIT = Duration.ofSeconds(20);

  private OutboxTestSupport() {
  }

  static PgSettings migratedDatabase(String label) {
    PgSettings db = TestDatabases.create(label);
    Migrations.migrate(db, "classpath:db/none");
    return db;
  }

  static Pool pool(Vertx vertx, PgSettings db) {
    return PgPools.create(vertx, db, 6);
  }

  /** Relay settings that make a test's retries come quickly. */
  static RelayOptions fastRelay() {
    return RelayOptions.defaults().withPollMillis(200).withRequestTimeoutMillis(3_000).withBackoff(50, 400);
  }

  static void enqueue(Pool pool, List<OutboxMessage> messages) {
    pool.withTransaction(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (OutboxMessage m : messages) {
        chain = chain.compose(v -> Outbox.enqueue(tx, m));
      }
      return chain;
    }).await();
  }

  static long count(Pool pool, String sql, Object... params) {
    return pool.preparedQuery(sql).execute(Tuple.wrap(params)).await().iterator().next().getLong(0);
  }

  static List<Row> rows(Pool pool, String sql, Object... params) {
    List<Row> out = new ArrayList<>();
    pool.preparedQuery(sql).execute(Tuple.wrap(params)).await().forEach(out::add);
    return out;
  }

  /** Polls (briefly sleeping on the test thread, never on an event loop) until the condition holds. */
  static void until(String what, BooleanSupplier condition) {
    try {
      io.slabtrack.cluster.testing.Poll.until(what, WAIT, condition);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for: " + what);
    }
  }


  /**
   * A raw consumer in front of an inbox address: sees every delivery before the inbox de-duplicates it, and
   * may swallow the reply (a lost ack). Failures are passed back with their code, so 4xx stays 4xx.
   */
  static MessageConsumer<JsonObject> forwarder(Vertx vertx, String outer, String inner,
                                               Consumer<JsonObject> onDelivery, ReplyFilter dropReply) {
    MessageConsumer<JsonObject> c = vertx.eventBus().consumer(outer, msg -> {
      onDelivery.accept(msg.body());
      vertx.eventBus().<JsonObject>request(inner, msg.body()).onComplete(ar -> {
        if (dropReply.drop(msg.body())) {
          return;
        }
        if (ar.succeeded()) {
          msg.reply(ar.result().body());
        } else if (ar.cause() instanceof ReplyException re) {
          msg.fail(re.failureCode(), re.getMessage());
        } else {
          msg.fail(503, ar.cause().toString());
        }
      });
    });
    c.completion().await();
    return c;
  }

  @FunctionalInterface
  interface ReplyFilter {
    boolean drop(JsonObject body);
  }

  static JsonObject body(int seq, String aggregate) {
    return new JsonObject().put("aggregate", aggregate).put("seq", seq);
  }
}
