package io.slabtrack.cluster.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The one email, postal-address and paging rule every app and page applies. */
class SharedRulesTest {

  private static String refusedField(Runnable r) {
    try {
      r.run();
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("invalid_field");
      return e.details().getString("field");
    }
    throw new AssertionError("not refused");
  }

  @Test
  void emails() {
    assertThat(Emails.address("  Ann@Example.com ", "email")).isEqualTo("Ann@Example.com");
    assertThat(Emails.normalize("Ann@Example.com", "email")).isEqualTo("ann@example.com");
    for (Object bad : new Object[] {null, 5, "nope", "a@b.c", "a b@example.com", "@example.com",
        "x".repeat(65) + "@example.com", "a@" + "d".repeat(250) + ".com", "a@b@example.com"}) {
      assertThat(refusedField(() -> Emails.address(bad, "buyerEmail"))).as(String.valueOf(bad)).isEqualTo("buyerEmail");
    }
    assertThatThrownBy(() -> Emails.address("nope", "email")).hasMessage("email must be an email address");
  }

  private static JsonObject address() {
    return new JsonObject().put("name", " Ann ").put("line1", "1 Main St").put("city", "Memphis")
        .put("postalCode", "38103").put("country", "us");
  }

  @Test
  void postalAddresses() {
    JsonObject ok = PostalAddress.parse(address().put("phone", "555"), "shippingAddress");
    assertThat(ok.getString("name")).isEqualTo("Ann");
    assertThat(ok.getString("country")).isEqualTo("US");
    assertThat(ok.getString("phone")).isEqualTo("555");
    assertThat(refusedField(() -> PostalAddress.parse(null, "shipFrom"))).isEqualTo("shipFrom");
    assertThat(refusedField(() -> PostalAddress.parse("1 Main St", "shipFrom"))).isEqualTo("shipFrom");
    JsonObject noCity = address();
    noCity.remove("city");
    assertThat(refusedField(() -> PostalAddress.parse(noCity, "a"))).isEqualTo("a.city");
    assertThat(refusedField(() -> PostalAddress.parse(address().put("line1", "  "), "a"))).isEqualTo("a.line1");
    assertThat(refusedField(() -> PostalAddress.parse(address().put("line2", "x".repeat(201)), "a")))
        .isEqualTo("a.line2");
    assertThat(refusedField(() -> PostalAddress.parse(address().put("country", "USA"), "a"))).isEqualTo("a.country");
    assertThat(refusedField(() -> PostalAddress.parse(address().put("zip", "1"), "a"))).isEqualTo("a.zip");
    assertThat(refusedField(() -> PostalAddress.parse(address().put("city", 5), "a"))).isEqualTo("a.city");
  }

  @Test
  void paging() {
    assertThat(Paging.of(MultiMap.caseInsensitiveMultiMap())).isEqualTo(new Paging(Paging.DEFAULT_LIMIT, 0));
    assertThat(Paging.of(MultiMap.caseInsensitiveMultiMap(), 24)).isEqualTo(new Paging(24, 0));
    assertThat(Paging.of(MultiMap.caseInsensitiveMultiMap().add("limit", "200").add("offset", "1000000")))
        .isEqualTo(new Paging(200, 1_000_000));
    for (String[] bad : new String[][] {{"limit", "0"}, {"limit", "201"}, {"limit", "x"}, {"offset", "-1"},
        {"offset", "1000001"}, {"offset", "99999999999"}}) {
      assertThat(refusedField(() -> Paging.of(MultiMap.caseInsensitiveMultiMap().add(bad[0], bad[1]))))
          .isEqualTo(bad[0]);
    }
  }
}
