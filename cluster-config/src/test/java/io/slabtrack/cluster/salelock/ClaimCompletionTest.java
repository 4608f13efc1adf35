package io.slabtrack.cluster.salelock;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.SettableClock;
import io.slabtrack.cluster.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * complete(): the claim travels through the channel's outbox while nobody answers at core.sale.claim, the locks
 * stay (claim-pending) past their TTL, and once an answer comes the channel applies it and the locks go. The
 * answering side here is a stand-in with the contract of core.sale.claim; core's own decision is tested in core.
 */
class ClaimCompletionTest {

  @Test
  void aClaimWaitsForCoreKeepsItsLocksAndSettlesWhenCoreAnswers() throws Exception {
    AppModule channel = new BareModule(AppName.STOREFRONT) {
@Override
      public void configure(AppContext ctx) {
        ClaimCompletion.register(ctx.replyHandlers(), ctx.saleLocks(), (tx, claim, answer) -> tx
            .preparedQuery("INSERT INTO answers (claim_id, outcome) VALUES ($1, $2)")
            .execute(Tuple.of(claim.claimId(), answer.getString("outcome"))).mapEmpty());
      }
    };
    SettableClock clock = new SettableClock();
    try (TestNode node = TestNode.start(clock, Map.of("SALE_LOCK_SWEEP_SECONDS", "1"), channel)) {
      AppContext ctx = node.runtime(AppName.STOREFRONT).context();
      Pool pool = ctx.pool();
      pool.query("CREATE TABLE answers (claim_id text PRIMARY KEY, outcome text)").execute().await();
      long card = 7_000_000L + (long) (Math.random() * 1_000_000);
      String lockRef = "claim-test-" + UUID.randomUUID().toString().replace("-", "");
      ctx.saleLocks().acquire(AcquireRequest.of(List.of(card), "storefront", lockRef, "order-1",
          Duration.ofSeconds(60), Duration.ofSeconds(3600))).await(10, TimeUnit.SECONDS);

      SaleClaim claim = new SaleClaim("claim-" + UUID.randomUUID(), "storefront", "order-1", lockRef,
          List.of(card), 12_500, Instant.now().plusSeconds(3600));
      ClaimCompletion completion = new ClaimCompletion(ctx.saleLocks());
      pool.withTransaction(tx -> completion.complete(tx, claim)).await(10, TimeUnit.SECONDS);
      // enqueued twice by a retrying caller: still one claim
      pool.withTransaction(tx -> completion.complete(tx, claim)).await(10, TimeUnit.SECONDS);
      // the locks are marked claim-pending once the claim's transaction committed (no cluster call under its lock)
      io.slabtrack.cluster.testing.Poll.until("the lock marked claim-pending", Duration.ofSeconds(10), () -> {
        SaleLock lock = ctx.saleLocks().holders(List.of(card)).await(10, TimeUnit.SECONDS).get(card);
        return lock != null && lock.claimPending();
      }, pending -> pending);

      // core is "down": past the lock's TTL (the claim's extension included) and a few sweeps later, the lock is
      // still held, claim-pending, and refuses others
      clock.advance(ctx.saleLocks().settings().defaultTtl().plusSeconds(61));
      SaleLockSweeper sweeper = new SaleLockSweeper(ctx.saleLocks());
      node.vertx().deployVerticle(sweeper).await(10, TimeUnit.SECONDS);
      sweeper.sweep().await(10, TimeUnit.SECONDS);
      sweeper.sweep().await(10, TimeUnit.SECONDS);
      SaleLock held = ctx.saleLocks().holders(List.of(card)).await(10, TimeUnit.SECONDS).get(card);
      assertThat(held).isNotNull();
      assertThat(held.claimPending()).isTrue();
      assertThat(countAnswers(pool)).isZero();

      AtomicInteger claimsSeen = new AtomicInteger();
      MessageConsumer<JsonObject> core = Inbox.consume(node.vertx(), pool, Addresses.CORE_SALE_CLAIM,
          (tx, body) -> {
            claimsSeen.incrementAndGet();
            return Future.succeededFuture(new JsonObject().put("claimId", body.getString("claimId"))
                .put("outcome", "won").put("cardIds", body.getJsonArray("cardIds")));
          }).await(10, TimeUnit.SECONDS);
      long deadline = System.currentTimeMillis() + 20_000;
      while (System.currentTimeMillis() < deadline && countAnswers(pool) == 0) {
        Thread.sleep(100);
      }
      assertThat(countAnswers(pool)).isEqualTo(1);
      assertThat(pool.query("SELECT outcome FROM answers").execute().await().iterator().next().getString(0))
          .isEqualTo("won");
      assertThat(claimsSeen.get()).isEqualTo(1);
      while (System.currentTimeMillis() < deadline
          && !ctx.saleLocks().holders(List.of(card)).await(10, TimeUnit.SECONDS).isEmpty()) {
        Thread.sleep(100);
      }
      assertThat(ctx.saleLocks().holders(List.of(card)).await(10, TimeUnit.SECONDS)).isEmpty();
      core.unregister().await();
    }
  }

  private static long countAnswers(Pool pool) throws Exception {
    return pool.query("SELECT count(*) FROM answers").execute().await().iterator().next().getLong(0);
  }
}
