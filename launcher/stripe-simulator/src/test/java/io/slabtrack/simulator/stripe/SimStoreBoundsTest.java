package io.slabtrack.simulator.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator's memory stays bounded however long a dev instance runs, forgetting settled objects first. */
class SimStoreBoundsTest {

  @Test
  void eventsKeepOnlyTheNewestAndStayListable() {
    SimStore store = new SimStore(Clock.systemUTC(), e -> { }, 100, 50);
    JsonObject pi = store.create("pi_", "payment_intent").put("status", "succeeded");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      ids.add(store.emit("payment_intent.succeeded", pi, null, null).getString("id"));
    }
    assertThat(store.sizes().getInteger("events")).isEqualTo(50);
    assertThat(store.event(ids.get(499)).getString("id")).isEqualTo(ids.get(499));
    assertThatThrownBy(() -> store.event(ids.get(0))).isInstanceOf(SimError.class);
    JsonObject page = store.listEvents(e -> true, null, 10);
    assertThat(page.getJsonArray("data").getJsonObject(0).getString("id")).as("newest first").isEqualTo(ids.get(499));
    assertThat(page.getBoolean("has_more")).isTrue();
  }

  @Test
  void settledObjectsAreForgottenOldestFirstOpenOnesAndAccountsKept() {
    SimStore store = new SimStore(Clock.systemUTC(), e -> { }, 100, 50);
    JsonObject account = store.create("acct_", "account");
    JsonObject open = store.create("cs_test_", "checkout.session").put("status", "open");
    JsonObject uncaptured = store.create("pi_", "payment_intent").put("status", "requires_capture");
    List<JsonObject> paid = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      paid.add(store.create("cs_test_", "checkout.session").put("status", "complete"));
    }
    assertThat(store.sizes().getInteger("objects")).isLessThanOrEqualTo(100 + 16);
    assertThat(store.find(account.getString("id"))).isNotNull();
    assertThat(store.find(open.getString("id"))).isNotNull();
    assertThat(store.find(uncaptured.getString("id"))).isNotNull();
    assertThat(store.find(paid.get(0).getString("id"))).as("the oldest settled one is forgotten").isNull();
    assertThat(store.find(paid.get(9_999).getString("id"))).as("the newest is kept").isNotNull();
  }

  @Test
  void openObjectsBeyondTwiceTheBoundGoTooButAccountsStay() {
    SimStore store = new SimStore(Clock.systemUTC(), e -> { }, 100, 50);
    JsonObject account = store.create("acct_", "account");
    for (int i = 0; i < 5_000; i++) {
      store.create("cs_test_", "checkout.session").put("status", "open");
    }
    assertThat(store.sizes().getInteger("objects")).isLessThanOrEqualTo(2 * 100 + 16 + 10);
    assertThat(store.find(account.getString("id"))).isNotNull();
  }

  @Test
  void settledMeansNothingMoreHappensToItInANormalFlow() {
    assertThat(SimStore.settled(new JsonObject().put("object", "payment_intent").put("status", "requires_capture")))
        .isFalse();
    assertThat(SimStore.settled(new JsonObject().put("object", "payment_intent").put("status", "canceled"))).isTrue();
    assertThat(SimStore.settled(new JsonObject().put("object", "charge").put("captured", false))).isFalse();
    assertThat(SimStore.settled(new JsonObject().put("object", "charge").put("captured", true))).isTrue();
    assertThat(SimStore.settled(new JsonObject().put("object", "dispute").put("status", "needs_response"))).isFalse();
    assertThat(SimStore.settled(new JsonObject().put("object", "account"))).isFalse();
  }
}
