package io.slabtrack.core.claims;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.salelock.ClaimCompletion;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.salelock.SaleClaim;
import io.slabtrack.core.CoreFixture;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The satellites' side of the contract as the sale-lock feature ships it: lock, then {@link ClaimCompletion}
 * through an outbox, core's decision applied by the channel's answer listener, the locks released. A bare
 * Storefront app (the shared tables and relay, none of its features) stands in for the satellite, so the claim
 * reaches core the way a real one does: signed by the Storefront relay.
 */
class ClaimCompletionInteropTest {
  private static CoreFixture core;
  private static final Map<String, JsonObject> ANSWERS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    core = CoreFixture.start(java.util.Map.of(), new BareModule(AppName.STOREFRONT));
    AppContext ctx = core.node.runtime(AppName.STOREFRONT).context();
    ClaimCompletion.register(ctx.replyHandlers(), ctx.saleLocks(), (tx, claim, answer) -> {
      ANSWERS.put(claim.claimId(), answer);
      return Future.succeededFuture();
    });
  }

  @AfterAll
  static void stop() throws Exception {
    core.close();
  }

  @Test
  void aLockedCheckoutClaimsThroughTheOutboxAndGetsItsAnswer() throws Exception {
    AppContext ctx = core.node.runtime(AppName.STOREFRONT).context();
    long id = core.createCard(CoreFixture.card("Interop", 4000)).getLong("id");
    core.post("/api/cards/" + id + "/channels/storefront", new JsonObject().put("shop", "demo"));
    core.lock(id, "storefront", "interop-lock-ref-0001", Duration.ofMinutes(10));
    SaleClaim claim = new SaleClaim("interop-claim-1", "storefront", "sf-order-1", "interop-lock-ref-0001",
        List.of(id), 4000, Instant.now().plus(Duration.ofDays(6)));
    ClaimCompletion completion = new ClaimCompletion(ctx.saleLocks());
    ctx.pool().withTransaction(tx -> completion.complete(tx, claim)).await(30, TimeUnit.SECONDS);

    CoreFixture.await("the claim's answer", Duration.ofSeconds(30), () -> ANSWERS.containsKey("interop-claim-1"));
    JsonObject answer = ANSWERS.get("interop-claim-1");
    assertThat(answer.getString("outcome")).isEqualTo("won");
    assertThat(answer.getJsonArray("cardIds")).isEqualTo(new JsonArray().add(id));
    assertThat(core.get("/api/cards/" + id).json().getJsonObject("sold").getString("orderRef")).isEqualTo("sf-order-1");
    CoreFixture.await("locks released", Duration.ofSeconds(10), () -> {
      try {
        return ctx.saleLocks().holders(List.of(id)).await(10, TimeUnit.SECONDS).isEmpty();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
