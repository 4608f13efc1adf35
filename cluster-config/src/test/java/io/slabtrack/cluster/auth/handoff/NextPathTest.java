package io.slabtrack.cluster.auth.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.http.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only plain same-site paths survive; everything a browser could read as another site is refused. */
class NextPathTest {

  @ParameterizedTest
  @ValueSource(strings = {"/", "/api/outbox", "/s/my-shop?tab=cards&x=%2F%2Fnot-a-host", "/a/b#frag", "/caf%C3%A9"})
  void samePathsPass(String next) {
    assertThat(NextPath.check(next)).isEqualTo(next);
  }

  @ParameterizedTest
  @ValueSource(strings = {"//evil.example", "///evil.example", "https://evil.example", "http:evil.example",
      "/\\evil.example", "\\\\evil.example", "\\/evil.example", "javascript:alert(1)", "evil.example/x",
      "/\t/evil.example", "/a\r\nLocation: //evil.example", "/ space", "/caf\u00e9", "/\u0000", "/%", "?x=1"})
  void offSiteOrOddPathsAreRefused(String next) {
    assertThatThrownBy(() -> NextPath.check(next)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.details().getString("field")).isEqualTo("next"));
  }

  @ParameterizedTest
  @ValueSource(strings = {""})
  void absentMeansTheHomePage(String next) {
    assertThat(NextPath.check(next)).isEqualTo("/");
    assertThat(NextPath.check(null)).isEqualTo("/");
  }

  @org.junit.jupiter.api.Test
  void overlongIsRefused() {
    assertThatThrownBy(() -> NextPath.check("/" + "a".repeat(NextPath.MAX_LENGTH))).isInstanceOf(ApiException.class);
  }
}
