package io.slabtrack.simulator.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FormBodyTest {

  @Test
  void nestedKeysIndexesAndListsBecomeJson() {
    JsonObject p = FormBody.parse("mode=payment&metadata[orderId]=o%2F1"
        + "&payment_intent_data[metadata][orderId]=o1&payment_intent_data[transfer_data][destination]=acct_1"
        + "&line_items[1][quantity]=2&line_items[0][price_data][unit_amount]=100&line_items[0][quantity]=1"
        + "&expand[]=payment_intent&expand[]=line_items&types[0]=a&types[1]=b");
    assertThat(p.getString("mode")).isEqualTo("payment");
    assertThat(p.getJsonObject("metadata").getString("orderId")).isEqualTo("o/1");
    assertThat(p.getJsonObject("payment_intent_data").getJsonObject("transfer_data").getString("destination"))
        .isEqualTo("acct_1");
    JsonArray items = p.getJsonArray("line_items");
    assertThat(items.getJsonObject(0).getJsonObject("price_data").getString("unit_amount")).isEqualTo("100");
    assertThat(items.getJsonObject(1).getString("quantity")).isEqualTo("2");
    assertThat(p.getJsonArray("expand")).containsExactly("payment_intent", "line_items");
    assertThat(p.getJsonArray("types")).containsExactly("a", "b");
  }

  @Test
  void emptyBodiesAreEmptyObjects() {
    assertThat(FormBody.parse(null)).isEqualTo(new JsonObject());
    assertThat(FormBody.parse("")).isEqualTo(new JsonObject());
  }
}
