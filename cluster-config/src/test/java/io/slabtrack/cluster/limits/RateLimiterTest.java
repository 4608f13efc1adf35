package io.slabtrack.cluster.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Migrations;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.testing.RateWindowRoom;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two windows counted in one statement ({@link RateLimiter#hitThen}) count as two hits one after the other would:
 * the second bucket only while the first is within its limit, a refusal past either limit.
 */
@ExtendWith(RateWindowRoom.class)
class RateLimiterTest {
  private static final Duration DAY = Duration.ofDays(1);
  private PgSettings db;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    db = TestDatabases.create("ratelimiter");
    Migrations.migrate(db, "classpath:db/none");
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, db, 2);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void theSecondWindowCountsOnlyWhileTheFirstIsWithinItsLimit() {
    RateLimiter rate = new RateLimiter(pool);
    // first: limit 2; second: limit 1
    assertThat(refusal(rate.hitThen("addr:a", 2, "email:x", 1, DAY, "no"))).isNull();
    assertThat(refusal(rate.hitThen("addr:a", 2, "email:x", 1, DAY, "no"))).isNotNull(); // email:x at 2 > 1
    assertThat(refusal(rate.hitThen("addr:a", 2, "email:y", 1, DAY, "no"))).isNotNull(); // addr:a at 3 > 2
    assertThat(refusal(rate.hitThen("addr:b", 2, "email:y", 1, DAY, "no"))).isNull(); // y was not counted above

    assertThat(hits()).isEqualTo(Map.of("addr:a", 3, "addr:b", 1, "email:x", 2, "email:y", 1));
  }

  private static ApiException refusal(Future<Void> hit) {
    Throwable failure = hit.transform(ar -> Future.succeededFuture(ar.cause())).await();
    if (failure != null) {
      assertThat(failure).isInstanceOf(ApiException.class);
      assertThat(((ApiException) failure).status()).isEqualTo(429);
    }
    return (ApiException) failure;
  }

  private Map<String, Integer> hits() {
    Map<String, Integer> out = new HashMap<>();
    for (Row r : pool.query("SELECT bucket, hits FROM rate_windows").execute().await()) {
      out.put(r.getString("bucket"), r.getInteger("hits"));
    }
    return out;
  }
}
