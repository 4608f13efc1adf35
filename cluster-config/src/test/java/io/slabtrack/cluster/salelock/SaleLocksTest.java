package io.slabtrack.cluster.salelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.SettableClock;
import io.slabtrack.cluster.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lock service on a real (single-member) Hazelcast cluster: the rules, TTLs, expiry notices. */
class SaleLocksTest {
  private static TestNode node;
  private static SaleLocks locks;
  /** Moved forward to pass a TTL: no test here sleeps for one. */
  private static final SettableClock clock = new SettableClock();
  private static final List<JsonObject> storefrontNotices = new CopyOnWriteArrayList<>();
  private static final List<JsonObject> coreNotices = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(clock, Map.of("SALE_LOCK_SWEEP_SECONDS", "1", "SALE_LOCK_GRACE_SECONDS", "60",
        "SALE_LOCK_MAX_TTL_SECONDS", "1200"), new BareModule(AppName.CORE) {
@Override
          public Future<Void> deployVerticles(AppContext ctx) {
            return Future.all(
                ctx.vertx().eventBus().<JsonObject>consumer("storefront.salelock.expired", m -> {
                  storefrontNotices.add(m.body());
                  m.reply(new JsonObject());
                }).completion(),
                ctx.vertx().eventBus().<JsonObject>consumer("core.salelock.expired", m -> {
                  coreNotices.add(m.body());
                  m.reply(new JsonObject());
                }).completion()).mapEmpty();
          }
        });
    locks = node.runtime(AppName.CORE).context().saleLocks();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static String ref() {
    return "ref-" + UUID.randomUUID().toString().replace("-", "");
  }

  private static long card() {
    return 1_000_000L + (long) (Math.random() * 1_000_000_000L);
  }

  private static AcquireRequest request(List<Long> cards, String channel, String lockRef, int ttlSeconds) {
    return AcquireRequest.of(cards, channel, lockRef, "order-" + lockRef, Duration.ofSeconds(ttlSeconds),
        Duration.ofSeconds(1200));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  private static ApiException failure(Future<?> f) {
    try {
      f.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable t = e;
      while (t != null && !(t instanceof ApiException)) {
        t = t.getCause();
      }
      if (t != null) {
        return (ApiException) t;
      }
      throw new AssertionError("expected an ApiException, got " + e, e);
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void acquireIsAllOrNothingAndIdempotentForTheSameLockRef() throws Exception {
    long a = card();
    long b = a + 1;
    long c = a + 2;
    String first = ref();
    assertThat(await(locks.acquire(request(List.of(a, b), "storefront", first, 600)))).hasSize(2);
    // same lockRef again: same locks, no error, expiry unchanged
    List<SaleLock> again = await(locks.acquire(request(List.of(b, a), "storefront", first, 600)));
    assertThat(again).extracting(SaleLock::cardId).containsExactly(a, b);

    String second = ref();
    ApiException conflict = failure(locks.acquire(request(List.of(c, b), "thisorthat", second, 600)));
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.code()).isEqualTo("cards_locked");
    var conflicts = conflict.details().getJsonArray("conflicts");
    assertThat(conflicts).hasSize(1);
    assertThat(conflicts.getJsonObject(0).getLong("cardId")).isEqualTo(b);
    assertThat(conflicts.getJsonObject(0).getString("channel")).isEqualTo("storefront");
    assertThat(conflicts.getJsonObject(0).getString("expiresAt")).isNotBlank();
    // c was free but must not stay locked: nothing partial
    assertThat(await(locks.holders(List.of(c)))).isEmpty();
    assertThat(await(locks.locksOf(second))).isEmpty();
  }

  @Test
  void badRequestsAreRefusedBeforeAnythingIsLocked() {
    long a = card();
    assertThatThrownBy(() -> request(List.of(), "storefront", ref(), 60)).hasMessageContaining("1 to 100");
    List<Long> tooMany = new ArrayList<>();
    for (int i = 1; i <= 101; i++) {
      tooMany.add((long) i);
    }
    assertThatThrownBy(() -> request(tooMany, "storefront", ref(), 60)).hasMessageContaining("1 to 100");
    assertThatThrownBy(() -> request(List.of(a, a), "storefront", ref(), 60)).hasMessageContaining("twice");
    assertThatThrownBy(() -> request(List.of(a), "etsy", ref(), 60)).hasMessageContaining("unknown channel");
    assertThatThrownBy(() -> request(List.of(a), "storefront", "short", 60)).hasMessageContaining("lockRef");
    assertThatThrownBy(() -> request(List.of(a), "storefront", "bad/ref/with/slashes!!", 60))
        .hasMessageContaining("lockRef");
    assertThatThrownBy(() -> request(List.of(a), "storefront", ref(), 0)).hasMessageContaining("ttlSeconds");
    assertThatThrownBy(() -> request(List.of(a), "storefront", ref(), 1201)).hasMessageContaining("ttlSeconds");
    assertThatThrownBy(() -> request(List.of(-4L), "storefront", ref(), 60)).hasMessageContaining("positive");
  }

  @Test
  void onlyTheHolderExtendsOrReleasesAndExtendingKeepsATtl() throws Exception {
    long a = card();
    String holder = ref();
    await(locks.acquire(request(List.of(a), "thisorthat", holder, 30)));

    ApiException wrong = failure(locks.extend(ref(), Duration.ofSeconds(60)));
    assertThat(wrong.status()).isEqualTo(409);
    assertThat(failure(locks.release(ref())).status()).isEqualTo(409);
    assertThat(await(locks.release(ref(), List.of(a)))).isZero();
    assertThat(await(locks.holders(List.of(a))).get(a).lockRef()).isEqualTo(holder);

    SaleLock extended = await(locks.extend(holder, Duration.ofSeconds(900))).get(0);
    assertThat(extended.expiresAt()).isAfter(java.time.Instant.now().plusSeconds(890));
    // the entry still expires in Hazelcast (replace would have dropped the TTL): ttl + grace
    var view = node.cluster().hazelcast().<Long, StoredLock>getMap(SaleLocks.MAP).getEntryView(a);
    assertThat(view.getExpirationTime()).isBetween(System.currentTimeMillis() + 900_000,
        System.currentTimeMillis() + 961_000);

    assertThat(await(locks.release(holder))).isEqualTo(1);
    assertThat(await(locks.holders(List.of(a)))).isEmpty();
  }

  @Test
  void anExpiredLockIsFreeAtOnceAndItsHolderAndCoreAreTold() throws Exception {
    long a = card();
    String holder = ref();
    await(locks.acquire(request(List.of(a), "storefront", holder, 60)));
    clock.advance(Duration.ofSeconds(61));
    // decided on read: free the moment it expires, whatever the sweeper has done; eBay has no app of ours,
    // so only core needs to hear of this second lock's expiry before the sweeper removes it
    String next = ref();
    assertThat(await(locks.acquire(request(List.of(a), "ebay", next, 60)))).hasSize(1);
    clock.advance(Duration.ofSeconds(61));

    Poll.until("both expiries told", Duration.ofSeconds(15),
        () -> notice(storefrontNotices, holder) != null && notice(coreNotices, next) != null);
    JsonObject told = notice(storefrontNotices, holder);
    assertThat(told).as("storefront told about its expired lock").isNotNull();
    assertThat(told.getJsonArray("cardIds").getList()).containsExactly(a);
    assertThat(told.getString("orderRef")).isEqualTo("order-" + holder);
    assertThat(notice(coreNotices, next)).as("core told about the second expiry").isNotNull();
    Poll.until("the lock swept", Duration.ofSeconds(10), () -> {
      try {
        return await(locks.holders(List.of(a))).isEmpty();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(await(locks.holders(List.of(a)))).as("swept once both acknowledged").isEmpty();
  }

  @Test
  void aLockWhoseClaimIsPendingOutlivesItsExpiry() throws Exception {
    long a = card();
    String holder = ref();
    await(locks.acquire(request(List.of(a), "storefront", holder, 60)));
    await(locks.extendForClaim(holder));
    clock.advance(Duration.ofSeconds(locks.settings().defaultTtl().toSeconds() + 1));
    var stored = await(locks.holders(List.of(a))).get(a);
    assertThat(stored.claimPending()).isTrue();
    ApiException refused = failure(locks.acquire(request(List.of(a), "thisorthat", ref(), 60)));
    assertThat(refused.status()).isEqualTo(409);
    await(locks.release(holder));
  }

  @Test
  void aLockStoredAsJsonByAnEarlierReleaseIsReadDecidedExtendedAndReleasedLikeAnyOther() throws Exception {
    long a = card();
    long b = card();
    String holder = ref();
    java.time.Instant now = clock.instant();
    // what a member of the previous release writes: the API JSON plus expiresAtMillis, as a HazelcastJsonValue
    for (long card : List.of(a, b)) {
      SaleLock old = new SaleLock(card, "storefront", holder, "order-old", now, now.plusSeconds(300), false);
      node.cluster().hazelcast().<Long, Object>getMap(SaleLocks.MAP).put(card, new com.hazelcast.core
          .HazelcastJsonValue(old.toJson().put("expiresAtMillis", old.expiresAt().toEpochMilli()).encode()),
          310, TimeUnit.SECONDS);
    }

    ApiException refused = failure(locks.acquire(request(List.of(a), "thisorthat", ref(), 60)));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(await(locks.holders(List.of(a, b))).get(a).lockRef()).isEqualTo(holder);
    assertThat(await(locks.locksOf(holder))).extracting(SaleLock::cardId).containsExactlyInAnyOrder(a, b);
    assertThat(await(locks.release(ref(), List.of(a)))).isZero();
    assertThat(await(locks.extend(holder, Duration.ofSeconds(600)))).hasSize(2);
    assertThat(await(locks.release(holder, List.of(a)))).isEqualTo(1);
    assertThat(await(locks.release(holder))).isEqualTo(1);
    assertThat(await(locks.holders(List.of(a, b)))).isEmpty();
  }

  private static JsonObject notice(List<JsonObject> notices, String lockRef) {
    return notices.stream().filter(n -> lockRef.equals(n.getString("lockRef"))).findFirst().orElse(null);
  }
}
