package io.slabtrack.cluster.salelock;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.SettableClock;
import io.slabtrack.cluster.testing.TestNode;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An expired lock whose notice nobody acknowledges (the channel's app down longer than the grace) must not be
 * dropped by the map's own eviction: the order behind it would never learn its cards are gone and stay pending for
 * good (found by the nemesis suite's partition and database runs). The map's eviction runs on real time, so this
 * test waits a few real seconds past it (grace 2 s).
 */
class UnannouncedExpiryTest {

  @Test
  void anUnacknowledgedExpiryOutlivesTheGraceAndIsToldOnceTheAppIsBack() throws Exception {
    SettableClock clock = new SettableClock();
    try (TestNode node = TestNode.start(clock, Map.of("SALE_LOCK_SWEEP_SECONDS", "1", "SALE_LOCK_GRACE_SECONDS", "2"),
        new BareModule(AppName.STOREFRONT))) {
      AppContext ctx = node.runtime(AppName.STOREFRONT).context();
      SaleLocks locks = ctx.saleLocks();
      long card = 8_000_000L + (long) (Math.random() * 1_000_000);
      String lockRef = "unannounced-" + UUID.randomUUID().toString().replace("-", "");
      locks.acquire(AcquireRequest.of(List.of(card), "storefront", lockRef, "order-9", Duration.ofSeconds(2),
          Duration.ofSeconds(2))).await(10, TimeUnit.SECONDS);
      clock.advance(Duration.ofSeconds(3));
      SaleLockSweeper sweeper = new SaleLockSweeper(locks);
      node.vertx().deployVerticle(sweeper).await(10, TimeUnit.SECONDS);

      // nobody listens at storefront.salelock.expired nor core.salelock.expired: each sweep fails, the lock stays,
      // well past TTL + grace in real time (the acquire set the map's eviction to 4 s from then)
      long until = System.nanoTime() + Duration.ofSeconds(7).toNanos();
      while (System.nanoTime() < until) {
        sweeper.sweep().transform(ar -> io.vertx.core.Future.succeededFuture()).await(10, TimeUnit.SECONDS);
        Thread.sleep(500); // the sweep interval, by hand: the point is the real time passing
      }
      assertThat(locks.expired().await(10, TimeUnit.SECONDS)).extracting(SaleLock::cardId).contains(card);

      // the apps are back: the next sweep tells both, then removes the lock
      List<JsonObject> told = new CopyOnWriteArrayList<>();
      MessageConsumer<JsonObject> app = node.vertx().eventBus().consumer(
          Addresses.saleLockExpired(AppName.STOREFRONT), m -> {
            told.add(m.body());
            m.reply(new JsonObject());
          });
      MessageConsumer<JsonObject> core = node.vertx().eventBus().consumer(Addresses.CORE_SALELOCK_EXPIRED,
          m -> m.reply(new JsonObject()));
      app.completion().await(10, TimeUnit.SECONDS);
      core.completion().await(10, TimeUnit.SECONDS);
      Poll.until("the expiry told and the lock gone", Duration.ofSeconds(20), () -> {
        sweeper.sweep().transform(ar -> io.vertx.core.Future.succeededFuture()).await(10, TimeUnit.SECONDS);
        return locks.expired().await(10, TimeUnit.SECONDS).stream().noneMatch(l -> l.cardId() == card);
      }, gone -> gone);
      assertThat(told).anySatisfy(n -> {
        assertThat(n.getString("lockRef")).isEqualTo(lockRef);
        assertThat(n.getString("orderRef")).isEqualTo("order-9");
      });
    }
  }
}
