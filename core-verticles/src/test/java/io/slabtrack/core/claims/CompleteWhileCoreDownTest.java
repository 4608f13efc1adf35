package io.slabtrack.core.claims;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.salelock.AcquireRequest;
import io.slabtrack.cluster.salelock.ClaimCompletion;
import io.slabtrack.cluster.salelock.SaleClaim;
import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.cluster.salelock.SaleLockSweeper;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.SettableClock;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.CoreFixture;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sale-locks with core down: a channel still locks, its claim waits in the channel's outbox with the locks kept
 * alive past their TTL, and when core is back the claim is decided, the channel hears the answer, and the locks
 * go. Also the HTTP complete on core, and its refusal of a lockRef that doesn't hold the cards.
 */
class CompleteWhileCoreDownTest {
  private static final Duration MAX_TTL = Duration.ofHours(1);

  @Test
  void aClaimWaitsForCoreAndSettlesWhenCoreIsBack() throws Exception {
    Map<String, JsonObject> answers = new ConcurrentHashMap<>();
    BareModule storefront = new BareModule(AppName.STOREFRONT) {
      @Override
      public void configure(AppContext ctx) {
        ClaimCompletion.register(ctx.replyHandlers(), ctx.saleLocks(), (tx, claim, answer) -> {
          answers.put(claim.claimId(), answer);
          return Future.succeededFuture();
        });
      }
    };
    SettableClock clock = new SettableClock();
    try (CoreFixture core = CoreFixture.start(clock, Map.of("SALE_LOCK_SWEEP_SECONDS", "1"), storefront)) {
      long card = core.createCard(CoreFixture.card("Core Down", 5000)).getLong("id");
      long other = core.createCard(CoreFixture.card("Core Down Too", 2500)).getLong("id");
      assertThat(core.post("/api/cards/" + card + "/channels/storefront", new JsonObject().put("shop", "demo"))
          .status()).isEqualTo(200);
      AppContext sf = core.node.runtime(AppName.STOREFRONT).context();
      String lockRef = "core-down-lock-ref-0001";
      sf.saleLocks().acquire(AcquireRequest.of(List.of(card), "storefront", lockRef, "sf-order-9",
          Duration.ofSeconds(60), MAX_TTL)).await(10, TimeUnit.SECONDS);

      core.node.stopApp(AppName.CORE);
      // checkout keeps working while core is down
      assertThat(sf.saleLocks().acquire(AcquireRequest.of(List.of(other), "storefront", "core-down-lock-ref-0002",
          "sf-order-10", Duration.ofSeconds(60), MAX_TTL)).await(10, TimeUnit.SECONDS)).hasSize(1);
      SaleClaim claim = new SaleClaim("core-down-claim-1", "storefront", "sf-order-9", lockRef, List.of(card), 5000,
          Instant.now().plus(Duration.ofDays(6)));
      sf.pool().withTransaction(tx -> new ClaimCompletion(sf.saleLocks()).complete(tx, claim))
          .await(10, TimeUnit.SECONDS);
      // the locks are marked claim-pending once the claim's transaction committed (no cluster call under its lock)
      io.slabtrack.cluster.testing.Poll.until("the lock marked claim-pending", Duration.ofSeconds(10), () -> {
        SaleLock lock = sf.saleLocks().holders(List.of(card)).await(10, TimeUnit.SECONDS).get(card);
        return lock != null && lock.claimPending();
      }, pending -> pending);

      // past the TTL (the claim's extension included) and a sweep later: the lock must still hold, waiting for core
      clock.advance(sf.saleLocks().settings().defaultTtl().plusSeconds(61));
      SaleLockSweeper sweeper = new SaleLockSweeper(sf.saleLocks());
      core.node.vertx().deployVerticle(sweeper).await(10, TimeUnit.SECONDS);
      // (the other lock's expiry notice finds no Storefront handler here and stays for a later sweep)
      sweeper.sweep().recover(unacknowledged -> Future.succeededFuture()).await(10, TimeUnit.SECONDS);
      SaleLock waiting = sf.saleLocks().holders(List.of(card)).await(10, TimeUnit.SECONDS).get(card);
      assertThat(waiting).isNotNull();
      assertThat(waiting.claimPending()).isTrue();
      assertThat(answers).isEmpty();

      core.node.startApp(new CoreApp());
      CoreFixture.await("core's answer after its return", Duration.ofSeconds(60),
          () -> answers.containsKey("core-down-claim-1"));
      assertThat(answers.get("core-down-claim-1").getString("outcome")).isEqualTo("won");
      JsonObject sold = core.get("/api/cards/" + card).json();
      assertThat(sold.getString("listingStatus")).isEqualTo("sold");
      CoreFixture.await("locks released", Duration.ofSeconds(10), () -> {
        try {
          return sf.saleLocks().holders(List.of(card)).await(10, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }

  @Test
  void completeOverHttpDecidesAtOnceAndRefusesAnotherCheckoutsCards() throws Exception {
    try (CoreFixture core = CoreFixture.start(Map.of())) {
      long card = core.createCard(CoreFixture.card("Http Complete", 3000)).getLong("id");
      core.post("/api/cards/" + card + "/channels/thisorthat", new JsonObject());
      core.lock(card, "thisorthat", "http-complete-ref-0001", Duration.ofMinutes(10));
      JsonObject claim = new JsonObject().put("claimId", "http-claim-1").put("channel", "thisorthat")
          .put("orderRef", "tot-play-1").put("cardIds", new io.vertx.core.json.JsonArray().add(card))
          .put("amountCents", 3000).put("authExpiresAt", Instant.now().plus(Duration.ofDays(6)).toString());

      CoreFixture.Resp wrong = core.post("/api/sale-locks/complete",
          new JsonObject().put("lockRef", "someone-elses-ref-0001").put("claim", claim));
      assertThat(wrong.status()).as(wrong.body()).isEqualTo(409);
      assertThat(wrong.error()).isEqualTo("lock_not_held");
      assertThat(core.get("/api/cards/" + card).json().getString("listingStatus")).isNotEqualTo("sold");

      CoreFixture.Resp won = core.post("/api/sale-locks/complete",
          new JsonObject().put("lockRef", "http-complete-ref-0001").put("claim", claim));
      assertThat(won.status()).as(won.body()).isEqualTo(200);
      assertThat(won.json().getString("outcome")).isEqualTo("won");
      assertThat(core.get("/api/cards/" + card).json().getString("listingStatus")).isEqualTo("sold");
      AppContext ctx = core.node.runtime(AppName.CORE).context();
      assertThat(ctx.saleLocks().holders(List.of(card)).await(10, TimeUnit.SECONDS)).isEmpty();
      assertThat(core.post("/api/sale-locks/complete", new JsonObject().put("lockRef", "bad")).status())
          .isEqualTo(400);
    }
  }
}
