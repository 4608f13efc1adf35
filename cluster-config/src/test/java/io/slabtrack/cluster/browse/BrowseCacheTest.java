package io.slabtrack.cluster.browse;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The browse cache: keyed by the version read for each request, shared version reads, bounded by bytes. */
class BrowseCacheTest {
  private static Vertx vertx;
  private static PgSettings db;
  private static Pool pool;

  private record Answer(String text, int weight) implements BrowseCache.Weighed {
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    db = TestDatabases.create("browse");
    pool = PgPools.create(vertx, db, 4);
    pool.query("CREATE TABLE browse_versions (scope text PRIMARY KEY, version bigint NOT NULL)")
        .execute().await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    TestDatabases.drop(db);
  }

  private static void version(String scope, long version) throws Exception {
    pool.preparedQuery("INSERT INTO browse_versions VALUES ($1, $2) ON CONFLICT (scope) DO UPDATE "
        + "SET version = EXCLUDED.version").execute(io.vertx.sqlclient.Tuple.of(scope, version))
        .await(30, TimeUnit.SECONDS);
  }

  private static Answer get(BrowseCache cache, String scope, String query, AtomicInteger loads, String text)
      throws Exception {
    return cache.get(scope, query, s -> {
      loads.incrementAndGet();
      return Future.succeededFuture(new Answer(text + "@" + (s == null ? "?" : String.valueOf(s.version())), 10));
    }).await(30, TimeUnit.SECONDS);
  }

  @Test
  void anAnswerIsServedUntilTheScopesVersionChangesThenReadAgain() throws Exception {
    BrowseCache cache = new BrowseCache(pool, 1_000_000);
    version("a", 1);
    AtomicInteger loads = new AtomicInteger();
    assertThat(get(cache, "a", "page1", loads, "first").text()).isEqualTo("first@1");
    assertThat(get(cache, "a", "page1", loads, "second").text()).as("a hit").isEqualTo("first@1");
    assertThat(loads).hasValue(1);

    // committed before the next request: that request already sees it, on this node as on any other
    version("a", 2);
    assertThat(get(cache, "a", "page1", loads, "third").text()).isEqualTo("third@2");
    assertThat(loads).hasValue(2);
    assertThat(get(cache, "none", "page1", loads, "x").text()).as("a scope with no row").isEqualTo("x@?");
  }

  @Test
  void aReadStartedBeforeANewerVersionIsNeverServedAfterIt() throws Exception {
    BrowseCache cache = new BrowseCache(pool, 1_000_000);
    version("b", 1);
    Promise<Answer> slow = Promise.promise();
    CountDownLatch loading = new CountDownLatch(1);
    Future<Answer> first = cache.get("b", "page1", s -> {
      loading.countDown();
      return slow.future();
    });
    // the version read done and the load started, then the sale commits while the page is still being read
    assertThat(loading.await(30, TimeUnit.SECONDS)).isTrue();
    version("b", 2);
    slow.complete(new Answer("with the sold card", 10));
    assertThat(first.await(30, TimeUnit.SECONDS).text()).isEqualTo("with the sold card");
    AtomicInteger loads = new AtomicInteger();
    assertThat(get(cache, "b", "page1", loads, "without").text()).isEqualTo("without@2");
    assertThat(loads).hasValue(1);
  }

  @Test
  void concurrentRequestsShareVersionReadsAndOneLoad() throws Exception {
    BrowseCache cache = new BrowseCache(pool, 1_000_000);
    version("c", 1);
    AtomicInteger loads = new AtomicInteger();
    Promise<Answer> slow = Promise.promise();
    List<Future<Answer>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(cache.get("c", "page1", s -> {
        loads.incrementAndGet();
        return slow.future();
      }));
    }
    Thread.sleep(200);
    slow.complete(new Answer("x", 10));
    for (Future<Answer> f : all) {
      assertThat(f.await(30, TimeUnit.SECONDS).text()).isEqualTo("x");
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void memoryIsBoundedByTheAnswersWeight() throws Exception {
    BrowseCache cache = new BrowseCache(pool, 50_000);
    version("d", 1);
    for (int i = 0; i < 500; i++) {
      cache.get("d", "page" + i, s -> Future.succeededFuture(new Answer("x", 1_000))).await(30, TimeUnit.SECONDS);
    }
    // each entry weighs its answer plus its key: at most 50,000 bytes' worth stay
    assertThat(cache.size()).isBetween(1L, 50L);
  }
}
