package io.slabtrack.core.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.core.CoreFixture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lock expiries (from the sweeper) and operator force-releases land in the conflict log, once each. */
class LockEventsTest {
  private static CoreFixture core;

  @BeforeAll
  static void start() throws Exception {
    core = CoreFixture.start(Map.of("SALE_LOCK_SWEEP_SECONDS", "1", "SALE_LOCK_GRACE_SECONDS", "30"));
  }

  @AfterAll
  static void stop() throws Exception {
    core.close();
  }

  @Test
  void expiriesAndForceReleasesAreLogged() throws Exception {
    long expiring = core.createCard(CoreFixture.card("Expiring", 100)).getLong("id");
    long forced = core.createCard(CoreFixture.card("Forced", 100)).getLong("id");
    core.lock(expiring, "ebay", "expiring-lock-ref-001", Duration.ofSeconds(1));
    core.lock(forced, "storefront", "forced-lock-ref-00001", Duration.ofMinutes(10));

    CoreFixture.await("lock_expired in the conflict log", Duration.ofSeconds(30),
        () -> count("SELECT count(*) FROM conflict_log WHERE kind = 'lock_expired' AND card_id = " + expiring) == 1);
    assertThat(core.call("DELETE", "/api/sale-locks/" + forced, null).status()).isEqualTo(204);
    CoreFixture.await("lock_force_released in the conflict log", Duration.ofSeconds(10),
        () -> count("SELECT count(*) FROM conflict_log WHERE kind = 'lock_force_released' AND card_id = " + forced) == 1);
    var item = core.get("/api/bridge/conflicts?cardId=" + expiring).json().getJsonArray("items").getJsonObject(0);
    assertThat(item.getString("kind")).isEqualTo("lock_expired");
    assertThat(item.getJsonObject("detail").getString("lockRef")).isEqualTo("expiring-lock-ref-001");
    // the sweeper repeats a notice until acknowledged: still one entry a few sweeps later (proving a negative
    // takes time; there is no event to wait for)
    Thread.sleep(2500);
    assertThat(count("SELECT count(*) FROM conflict_log WHERE kind = 'lock_expired'")).isEqualTo(1);
  }

  private static long count(String sql) {
    try {
      return core.count(sql);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
