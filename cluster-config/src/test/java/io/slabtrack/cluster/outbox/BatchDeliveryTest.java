package io.slabtrack.cluster.outbox;

import static io.slabtrack.cluster.outbox.OutboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many events per bus message: the relay sends a destination's rows as one envelope, the inbox de-duplicates the
 * envelope in one statement and applies the new events in one transaction, answering each event on its own.
 */
class BatchDeliveryTest {
  private static final String ADDRESS = "test.batch";
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;
  private final AtomicInteger envelopes = new AtomicInteger();

  @BeforeEach
  void setUp() {
    db = migratedDatabase("batch");
    vertx = Vertx.vertx();
    pool = pool(vertx, db);
    pool.query("CREATE TABLE applied (n bigserial PRIMARY KEY, event_id uuid, aggregate text, seq int)").execute()
        .await();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (Inbox.batchAddress(ADDRESS).equals(ctx.message().address())) {
        envelopes.incrementAndGet();
      }
      ctx.next();
    });
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  /** Records each application; a body with {@code poison} fails (500), one with {@code reject} is refused (422). */
  private void receiver() {
    receiver(false);
  }

  private void receiver(boolean pipelined) {
    InboxHandler handler = (tx, body) -> {
      if (body.getBoolean("poison", false)) {
        throw new IllegalStateException("this event breaks the handler every time");
      }
      if (body.getBoolean("reject", false)) {
        return Future.failedFuture(new InboxRejection("not_wanted", "refused for good"));
      }
      return tx.preparedQuery("INSERT INTO applied (event_id, aggregate, seq) VALUES ($1, $2, $3)")
          .execute(Tuple.of(UUID.fromString(body.getString("eventId")), body.getString("aggregate"),
              body.getInteger("seq")))
          .map(new JsonObject().put("seq", body.getInteger("seq")));
    };
    (pipelined ? Inbox.consumePipelined(vertx, pool, ADDRESS, handler) : Inbox.consume(vertx, pool, ADDRESS, handler))
        .await();
  }

  private final AtomicInteger together = new AtomicInteger();

  /** As {@link #receiver()}, and a batch's new events inserted by one statement (refusing a batch with a bad one). */
  private void receiverBatched() {
    InboxBatchHandler handler = new InboxBatchHandler() {
      @Override
      public Future<JsonObject> apply(io.vertx.sqlclient.SqlConnection tx, JsonObject body) {
        if (body.getBoolean("reject", false)) {
          return Future.failedFuture(new InboxRejection("not_wanted", "refused for good"));
        }
        return tx.preparedQuery("INSERT INTO applied (event_id, aggregate, seq) VALUES ($1, $2, $3)")
            .execute(Tuple.of(UUID.fromString(body.getString("eventId")), body.getString("aggregate"),
                body.getInteger("seq")))
            .map(new JsonObject().put("seq", body.getInteger("seq")));
      }

      @Override
      public Future<List<JsonObject>> applyAll(io.vertx.sqlclient.SqlConnection tx, List<JsonObject> bodies) {
        if (bodies.stream().anyMatch(b -> b.getBoolean("reject", false))) {
          return Future.failedFuture(new IllegalArgumentException("one of them is not for a batch"));
        }
        together.incrementAndGet();
        return tx.preparedQuery("INSERT INTO applied (event_id, aggregate, seq)"
                + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[])")
            .execute(Tuple.tuple()
                .addArrayOfUUID(bodies.stream().map(b -> UUID.fromString(b.getString("eventId"))).toArray(UUID[]::new))
                .addArrayOfString(bodies.stream().map(b -> b.getString("aggregate")).toArray(String[]::new))
                .addArrayOfInteger(bodies.stream().map(b -> b.getInteger("seq")).toArray(Integer[]::new)))
            .map(rows -> bodies.stream().map(b -> new JsonObject().put("seq", b.getInteger("seq"))).toList());
      }
    };
    Inbox.consumeBatched(vertx, pool, ADDRESS, handler).await();
  }

  private void relay(RelayOptions options) {
    vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db), ReplyHandlers.none(), options))
        .await();
  }

  private static OutboxMessage message(int seq, String aggregate) {
    return OutboxMessage.of(ADDRESS, aggregate, body(seq, aggregate));
  }

  private long delivered() {
    return count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered'");
  }

  @Test
  void anEnvelopeWithAnEventAlreadyInTheInboxAppliesOnlyTheNewOnes() {
    receiver();
    List<OutboxMessage> messages = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      messages.add(message(i, "card:" + i));
    }
    // the first one was applied before (a lost answer): its inbox row carries that first reply
    pool.preparedQuery("INSERT INTO inbox (event_id, address, reply) VALUES ($1, $2, $3)")
        .execute(Tuple.of(messages.get(0).eventId(), ADDRESS, new JsonObject().put("first", true))).await();
    enqueue(pool, messages);
    relay(fastRelay());

    until("all delivered", () -> delivered() == 6);
    assertThat(envelopes.get()).as("one envelope, not one message per event").isEqualTo(1);
    assertThat(count(pool, "SELECT count(*) FROM applied")).isEqualTo(5);
    assertThat(count(pool, "SELECT count(*) FROM applied WHERE event_id = $1", messages.get(0).eventId())).isZero();
    assertThat(rows(pool, "SELECT reply FROM outbox WHERE event_id = $1", messages.get(0).eventId()).get(0)
        .getJsonObject(0)).isEqualTo(new JsonObject().put("first", true));
    assertThat(count(pool, "SELECT count(*) FROM inbox WHERE reply ? 'seq'")).isEqualTo(5);
  }

  @Test
  void theInboxAddressItselfTakesAnEnvelopeAndAnswersEachEvent() {
    receiver();
    UUID fresh = UUID.randomUUID();
    JsonObject envelope = new JsonObject().put(InboxBatch.EVENTS, new JsonArray()
        .add(body(1, "a").put("eventId", fresh.toString()))
        .add(body(2, "b"))  // no eventId
        .add(body(1, "a").put("eventId", fresh.toString()))); // the same event twice in one envelope
    JsonArray results = vertx.eventBus().<JsonObject>request(ADDRESS, envelope).await().body()
        .getJsonArray(InboxBatch.RESULTS);

    assertThat(results).hasSize(3);
    assertThat(results.getJsonObject(0).getJsonObject("reply")).isEqualTo(new JsonObject().put("seq", 1));
    assertThat(results.getJsonObject(1).getInteger("failureCode")).isEqualTo(400);
    assertThat(results.getJsonObject(2).getJsonObject("reply")).isEqualTo(new JsonObject().put("seq", 1));
    assertThat(count(pool, "SELECT count(*) FROM applied")).isEqualTo(1);
  }

  @Test
  void aPoisonEventDoesNotHoldTheRestAndIsDeadLetteredAfterTheLimit() {
    receiver();
    OutboxMessage poison = OutboxMessage.of(ADDRESS, "card:p", body(0, "card:p").put("poison", true));
    OutboxMessage rejected = OutboxMessage.of(ADDRESS, "card:r", body(0, "card:r").put("reject", true));
    OutboxMessage afterPoison = message(1, "card:p"); // the poison's aggregate goes on once it is dead
    List<OutboxMessage> messages = new ArrayList<>(List.of(poison, rejected, afterPoison));
    for (int i = 0; i < 5; i++) {
      messages.add(message(i, "card:" + i));
    }
    enqueue(pool, messages);
    relay(fastRelay().withMaxFailures(3));

    until("the good ones delivered", () -> count(pool,
        "SELECT count(*) FROM outbox WHERE status = 'delivered' AND aggregate NOT IN ('card:p', 'card:r')") == 5);
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE status = 'delivered' AND attempts = 1"
        + " AND aggregate NOT IN ('card:p', 'card:r')")).as("delivered on the first try, beside the poison").isEqualTo(5);
    until("the poison dead and its aggregate moving on", () -> delivered() == 6);
    Row dead = rows(pool, "SELECT status, failures, attempts FROM outbox WHERE event_id = $1", poison.eventId()).get(0);
    assertThat(dead.getString(0)).isEqualTo("dead");
    assertThat(dead.getInteger(1)).isEqualTo(3);
    Row refused = rows(pool, "SELECT status, attempts FROM outbox WHERE event_id = $1", rejected.eventId()).get(0);
    assertThat(refused.getString(0)).isEqualTo("dead");
    assertThat(refused.getInteger(1)).as("a 4xx is dead at once").isEqualTo(1);
    // neither left an inbox row (a replay would apply them afresh); every good event applied exactly once
    assertThat(count(pool, "SELECT count(*) FROM inbox WHERE event_id = ANY($1)",
        (Object) new UUID[] {poison.eventId(), rejected.eventId()})).isZero();
    assertThat(count(pool, "SELECT count(*) FROM applied")).isEqualTo(6);
    assertThat(count(pool, "SELECT count(DISTINCT event_id) FROM applied")).isEqualTo(6);
  }

  @Test
  void aBatchedReceiverAppliesAnEnvelopeTogetherAndEventByEventWhenThatFails() {
    receiverBatched();
    List<OutboxMessage> good = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      good.add(message(i, "card:" + i));
    }
    enqueue(pool, good);
    relay(fastRelay());
    until("all delivered", () -> delivered() == 9);
    assertThat(together.get()).as("one multi-row apply for the envelope").isEqualTo(1);
    assertThat(count(pool, "SELECT count(*) FROM applied")).isEqualTo(9);

    OutboxMessage rejected = OutboxMessage.of(ADDRESS, "card:r", body(0, "card:r").put("reject", true));
    List<OutboxMessage> mixed = new ArrayList<>(List.of(rejected));
    for (int i = 10; i < 15; i++) {
      mixed.add(message(i, "card:" + i));
    }
    enqueue(pool, mixed);
    until("the others delivered", () -> delivered() == 14);
    until("the refused one dead", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'dead'") == 1);
    // the envelope with the refused one went event by event; its failed multi-row apply left nothing behind
    assertThat(count(pool, "SELECT count(*) FROM applied")).isEqualTo(14);
    assertThat(count(pool, "SELECT count(DISTINCT event_id) FROM applied")).isEqualTo(14);
    assertThat(count(pool, "SELECT count(*) FROM inbox")).isEqualTo(14);
  }

  @Test
  void aPipelinedReceiverAppliesTheOthersWhenOneEventFails() {
    receiver(true);
    OutboxMessage rejected = OutboxMessage.of(ADDRESS, "card:r", body(0, "card:r").put("reject", true));
    List<OutboxMessage> messages = new ArrayList<>(List.of(rejected));
    for (int i = 0; i < 9; i++) {
      messages.add(message(i, "card:" + i));
    }
    enqueue(pool, messages);
    relay(fastRelay());

    until("the others delivered", () -> delivered() == 9);
    until("the refused one dead", () -> count(pool, "SELECT count(*) FROM outbox WHERE status = 'dead'") == 1);
    assertThat(envelopes.get()).isEqualTo(1);
    assertThat(count(pool, "SELECT count(*) FROM applied")).isEqualTo(9);
    assertThat(count(pool, "SELECT count(*) FROM inbox")).isEqualTo(9);
  }

  @Test
  void eachAggregateIsAppliedInOrderAcrossBatches() {
    receiver();
    List<OutboxMessage> messages = new ArrayList<>();
    for (int seq = 0; seq < 20; seq++) {
      for (int a = 0; a < 6; a++) {
        messages.add(message(seq, "agg:" + a));
      }
    }
    enqueue(pool, messages);
    relay(fastRelay().withBatchSize(4)); // fewer rows per pass than aggregates: many passes, many envelopes

    until("all delivered", () -> delivered() == messages.size());
    assertThat(envelopes.get()).isGreaterThan(20);
    Map<String, Integer> last = new HashMap<>();
    for (Row r : rows(pool, "SELECT aggregate, seq FROM applied ORDER BY n")) {
      int previous = last.getOrDefault(r.getString(0), -1);
      assertThat(r.getInteger(1)).as("next of " + r.getString(0)).isEqualTo(previous + 1);
      last.put(r.getString(0), r.getInteger(1));
    }
    assertThat(last).hasSize(6).allSatisfy((agg, seq) -> assertThat(seq).isEqualTo(19));
  }

  @Test
  void aRelayKilledMidBatchHasItsRowsDeliveredAgainAndTheInboxAbsorbsThem() {
    receiver();
    List<OutboxMessage> messages = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      messages.add(message(i, "card:" + i));
    }
    enqueue(pool, messages);
    // a relay's first half: lease the rows (briefly, to keep the test short) and send the envelope; the receiver
    // commits and answers, then the relay dies before recording anything
    List<Row> leased = rows(pool, OutboxSql.claim(100, 700));
    JsonArray events = new JsonArray();
    leased.stream().map(OutboxRow::from).sorted(java.util.Comparator.comparingLong(OutboxRow::id))
        .forEach(r -> events.add(r.payload().copy().put("eventId", r.eventId().toString())));
    JsonObject answer = vertx.eventBus().<JsonObject>request(Inbox.batchAddress(ADDRESS),
        new JsonObject().put(InboxBatch.EVENTS, events)).await().body();
    assertThat(answer.getJsonArray(InboxBatch.RESULTS)).hasSize(8);
    assertThat(count(pool, "SELECT count(*) FROM applied")).isEqualTo(8);
    assertThat(count(pool, "SELECT count(*) FROM outbox WHERE status = 'pending'")).isEqualTo(8);

    // another relay, once the lease ran out
    relay(fastRelay());
    until("all delivered", () -> delivered() == 8);
    assertThat(count(pool, "SELECT count(*) FROM applied")).as("applied once").isEqualTo(8);
    assertThat(count(pool, "SELECT count(*) FROM outbox o JOIN inbox i ON i.event_id = o.event_id"
        + " WHERE o.reply = i.reply AND o.reply ? 'seq'")).as("the first replies").isEqualTo(8);
  }
}
