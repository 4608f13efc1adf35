package io.slabtrack.cluster.outbox;

import static io.slabtrack.cluster.outbox.OutboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log ids of a sale travel with it: set while handling one message, they are stored with the outbox row it
 * enqueues, handed over in a bus header by the relay (however much later), restored by the receiver's inbox for its
 * apply — across async SQL hops — and passed on again by what that apply enqueues. Nothing leaks into an unrelated
 * message, and a malformed header is dropped.
 */
class CorrelationTravelTest {
  private static final String START = "test.corr.start";
  private static final String FIRST = "test.corr.first";
  private static final String SECOND = "test.corr.second";
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;
  private final Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp() {
    db = migratedDatabase("corr");
    vertx = Vertx.vertx();
    pool = pool(vertx, db);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void theIdsOfASaleFollowItThroughTwoOutboxHopsAndNothingElseGetsThem() {
    // the first step, as an HTTP request or a webhook would be: it learns the sale's ids and enqueues
    vertx.eventBus().<JsonObject>consumer(START, msg -> {
      Correlation.put(Correlation.REQUEST_ID, "req-0123456789");
      Correlation.put(Correlation.CLAIM_ID, msg.body().getString("claimId"));
      pool.withTransaction(tx -> Outbox.enqueue(tx, OutboxMessage.of(FIRST, "a:1", new JsonObject().put("n", 1))))
          .onComplete(ar -> msg.reply(ar.succeeded()));
    }).completion().await();
    Inbox.consume(vertx, pool, FIRST, (tx, body) -> tx.query("SELECT 1").execute() // an async hop first
        .compose(r -> {
          seen.put(FIRST + ":" + body.getString("eventId"), Correlation.current());
          return body.containsKey("n")
              ? Outbox.enqueue(tx, OutboxMessage.of(SECOND, "a:1", new JsonObject().put("m", 2)))
              : io.vertx.core.Future.succeededFuture();
        }).map(new JsonObject())).await();
    Inbox.consume(vertx, pool, SECOND, (tx, body) -> tx.query("SELECT 1").execute().map(r -> {
      seen.put(SECOND, Correlation.current());
      return new JsonObject();
    })).await();
    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), ReplyHandlers.none(),
        fastRelay())).await();

    String claimId = "sf-claim-" + UUID.randomUUID();
    assertThat(vertx.eventBus().<Boolean>request(START, new JsonObject().put("claimId", claimId)).await().body())
        .isTrue();
    until("both hops applied", () -> seen.containsKey(SECOND));

    Row first = rows(pool, "SELECT event_id, correlation FROM outbox WHERE address = $1", FIRST).get(0);
    assertThat((JsonObject) first.getValue("correlation")).isEqualTo(new JsonObject()
        .put("requestId", "req-0123456789").put("claimId", claimId));
    String firstEvent = first.getUUID("event_id").toString();
    assertThat(seen.get(FIRST + ":" + firstEvent)).containsExactly(Map.entry("requestId", "req-0123456789"),
        Map.entry("claimId", claimId), Map.entry("eventId", firstEvent));
    Row second = rows(pool, "SELECT event_id, correlation FROM outbox WHERE address = $1", SECOND).get(0);
    assertThat(((JsonObject) second.getValue("correlation")).getString("claimId")).isEqualTo(claimId);
    assertThat(seen.get(SECOND)).containsEntry("claimId", claimId).containsEntry("requestId", "req-0123456789")
        .containsEntry("eventId", second.getUUID("event_id").toString());

    // an unrelated message on the same inbox, with a forged header: only its own event id, nothing of the sale
    String other = UUID.randomUUID().toString();
    vertx.eventBus().request(FIRST, new JsonObject().put("eventId", other), new DeliveryOptions()
        .addHeader(Correlation.HEADER, "{\"claimId\":\"x\\\" injected=\\\"1\",\"orderId\":\"ord 1\"}")).await();
    assertThat(seen.get(FIRST + ":" + other)).containsExactly(Map.entry("eventId", other));
  }

  @Test
  void outsideARequestOrMessageNothingIsKept() {
    // the event loop's own context is shared by unrelated work: a put there must not stick
    Map<String, String> after = vertx.getOrCreateContext().<Map<String, String>>executeBlocking(() -> {
      Correlation.put(Correlation.CLAIM_ID, "leaky-claim");
      return Correlation.current();
    }).await();
    assertThat(after).isEmpty();
    assertThat(Correlation.current()).isEmpty(); // the test thread has no context at all
  }
}
