package io.slabtrack.tot.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** Asks ToT's reconcile snapshots as core does (bus) and as an operator does (HTTP). */
final class Reconcile {
  private Reconcile() {
  }

  static JsonObject bus(TotFixture tot, ReconcileSnapshot snapshot, JsonObject body) throws Exception {
    return tot.node.vertx().eventBus().<JsonObject>request(Addresses.reconcile(AppName.TOT, snapshot), body)
        .await(60, TimeUnit.SECONDS).body();
  }

  /** The bus answer to a bad request: failure code 400 with the JSON error naming the field. */
  static void busRejects(TotFixture tot, ReconcileSnapshot snapshot, JsonObject body, String field) {
    assertThatThrownBy(() -> bus(tot, snapshot, body)).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureCode()).as(e.getMessage()).isEqualTo(400);
      JsonObject error = new JsonObject(e.getMessage());
      assertThat(error.getString("error")).isEqualTo("invalid_field");
      assertThat(error.getJsonObject("details").getString("field")).isEqualTo(field);
    });
  }

  static TotFixture.Resp http(TotFixture tot, ReconcileSnapshot snapshot, String query) throws Exception {
    return tot.call("GET", "/api/reconcile/" + snapshot.id() + query, null, tot.operator);
  }

  static void httpRejects(TotFixture tot, ReconcileSnapshot snapshot, String query, String field) throws Exception {
    TotFixture.Resp r = http(tot, snapshot, query);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("invalid_field");
    assertThat(r.json().getJsonObject("details").getString("field")).isEqualTo(field);
  }
}
