package io.slabtrack.cluster.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small shared pieces both apps' pages stand on: links, the id cookie's format, order words, the address form. */
class PagePartsTest {

  @Test
  void queriesKeepOrderEncodeAndLeaveOutNulls() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("kind", null);
    p.put("q", "Prizm & Co");
    p.put("min", "10");
    assertThat(Links.query(p)).isEqualTo("?q=Prizm+%26+Co&min=10");
    Map<String, String> none = new LinkedHashMap<>();
    none.put("q", null);
    assertThat(Links.query(none)).isEmpty();
  }

  @Test
  void onlyPlainPathsOfThisSiteAreLocal() {
    assertThat(Links.localPath("/?kind=lot&page=2")).isTrue();
    for (String bad : new String[] {null, "", "https://evil.example/", "//evil.example", "/\\evil", "/a b", "/é",
        "/" + "x".repeat(2000)}) {
      assertThat(Links.localPath(bad)).as(bad).isFalse();
    }
  }

  @Test
  void idListsDropGarbageDuplicatesAndWhatIsPastTheLimit() {
    assertThat(IdCookie.parse("3.x.7.3.-1.0.12.99", 3)).containsExactly(3L, 7L, 12L);
    assertThat(IdCookie.parse(null, 3)).isEmpty();
    IdCookie c = new IdCookie("c", List.of(1L, 2L), 2);
    assertThat(c.with(3).ids()).as("full").containsExactly(1L, 2L);
    assertThat(c.without(List.of(1L)).with(3).ids()).containsExactly(2L, 3L);
  }

  @Test
  void orderWordsNameTheSellerAndCoverToTsStates() {
    OrderWords paid = OrderWords.of(new OrderWords.Facts("paid", 4_500, 0, null, null, "ThisOrThat"));
    assertThat(paid.detail()).contains("$45.00 was charged").contains("ThisOrThat will ship it soon");
    OrderWords partly = OrderWords.of(new OrderWords.Facts("partially_refunded", 4_500, 1_000, null, null, "X"));
    assertThat(partly.heading()).isEqualTo("Partly refunded");
    assertThat(partly.detail()).startsWith("$10.00 of $45.00 was refunded");
    OrderWords failed = OrderWords.of(new OrderWords.Facts("capture_failed", 4_500, 0, null, null, "X"));
    assertThat(failed.detail()).contains("You were not charged.");
    assertThat(failed.tone()).isEqualTo("bad");
  }

  @Test
  void theAddressFormReportsEveryFieldTheParserRefusesAtOnce() {
    MultiMap typed = MultiMap.caseInsensitiveMultiMap().add("email", "nope").add("name", " ").add("city", "Memphis")
        .add("key", "short");
    ShippingForm form = ShippingForm.of(typed);
    assertThat(form.key()).as("a bad key is replaced").hasSizeGreaterThanOrEqualTo(16);
    JsonObject body = form.body();
    assertThat(body.getJsonObject("shippingAddress").containsKey("name")).as("blank is left out").isFalse();
    // a parser that stops at the first bad field, as the apps' APIs do
    Map<String, String> errors = form.errors(body, b -> {
      if (!b.getString("email").contains("@")) {
        throw ApiErrors.invalidField("email", "a valid email is required");
      }
      for (String f : List.of("name", "line1", "city")) {
        if (!b.getJsonObject("shippingAddress").containsKey(f)) {
          throw ApiErrors.invalidField("shippingAddress." + f, f + " is required");
        }
      }
    });
    assertThat(errors).containsExactly(Map.entry("email", "a valid email is required"),
        Map.entry("name", "Please fill this in."), Map.entry("line1", "Please fill this in."));
  }
}
