package io.slabtrack.cluster.browse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The browse cache: keyed by the version seen before the read, bounded by bytes, bypassed when its reads stop. */
class BrowseCacheTest {

  private record Answer(String text, int weight) implements BrowseCache.Weighed {
  }

  private static Map<String, BrowseCache.Scope> shop(long version, long active) {
    return Map.of("shop", new BrowseCache.Scope(version, active));
  }

  private static Answer now(BrowseCache cache, String query, AtomicInteger loads, String text) {
    return cache.get("shop", query, scope -> {
      loads.incrementAndGet();
      return Future.succeededFuture(new Answer(text + "@" + (scope == null ? "?" : scope.version()), 10));
    }).result();
  }

  @Test
  void anAnswerIsServedUntilANewerVersionIsSeenThenReadAgain() {
    BrowseCache cache = new BrowseCache(1_000_000);
    cache.seen(shop(1, 3), System.nanoTime());
    AtomicInteger loads = new AtomicInteger();
    assertThat(now(cache, "page1", loads, "a").text()).isEqualTo("a@1");
    assertThat(now(cache, "page1", loads, "b").text()).as("a hit").isEqualTo("a@1");
    assertThat(loads).hasValue(1);
    assertThat(cache.scope("shop").active()).isEqualTo(3);

    cache.seen(shop(2, 2), System.nanoTime());
    assertThat(now(cache, "page1", loads, "c").text()).isEqualTo("c@2");
    assertThat(loads).hasValue(2);
    assertThat(cache.scope("shop").active()).isEqualTo(2);
  }

  @Test
  void aReadStartedBeforeANewerVersionNeverServesAfterIt() {
    BrowseCache cache = new BrowseCache(1_000_000);
    cache.seen(shop(1, 1), System.nanoTime());
    Promise<Answer> slow = Promise.promise();
    Future<Answer> first = cache.get("shop", "page1", scope -> slow.future());
    // the sale commits and is seen while the read is still on its way
    cache.seen(shop(2, 0), System.nanoTime());
    slow.complete(new Answer("with the sold card", 10));
    assertThat(first.result().text()).isEqualTo("with the sold card");
    AtomicInteger loads = new AtomicInteger();
    assertThat(now(cache, "page1", loads, "without").text()).isEqualTo("without@2");
    assertThat(loads).hasValue(1);
  }

  @Test
  void concurrentMissesOfOneKeyShareOneRead() {
    BrowseCache cache = new BrowseCache(1_000_000);
    cache.seen(shop(1, 1), System.nanoTime());
    AtomicInteger loads = new AtomicInteger();
    Promise<Answer> slow = Promise.promise();
    Future<Answer> a = cache.get("shop", "page1", scope -> {
      loads.incrementAndGet();
      return slow.future();
    });
    Future<Answer> b = cache.get("shop", "page1", scope -> {
      loads.incrementAndGet();
      return slow.future();
    });
    slow.complete(new Answer("x", 10));
    assertThat(a.result()).isSameAs(b.result());
    assertThat(loads).hasValue(1);
  }

  @Test
  void memoryIsBoundedByTheAnswersWeight() {
    BrowseCache cache = new BrowseCache(50_000);
    cache.seen(shop(1, 1), System.nanoTime());
    for (int i = 0; i < 500; i++) {
      cache.get("shop", "page" + i, scope -> Future.succeededFuture(new Answer("x", 1_000)));
    }
    // each entry weighs its answer plus its key: at most 50,000 bytes' worth stay
    assertThat(cache.size()).isBetween(1L, 50L);
  }

  @Test
  void whenVersionsStopBeingReadTheCacheIsBypassed() {
    BrowseCache cache = new BrowseCache(1_000_000);
    AtomicInteger loads = new AtomicInteger();
    assertThat(now(cache, "page1", loads, "a").text()).as("never read: no version known").isEqualTo("a@?");
    assertThat(now(cache, "page1", loads, "b").text()).isEqualTo("b@?");
    // last read longer ago than TRUST_MS
    cache.seen(shop(1, 1), System.nanoTime() - (BrowseCache.TRUST_MS + 1) * 1_000_000);
    assertThat(now(cache, "page1", loads, "c").text()).isEqualTo("c@?");
    assertThat(cache.scope("shop")).isNull();
    assertThat(loads).hasValue(3);
  }
}
