package io.slabtrack.cluster.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The comparison behind the CSRF check: exact host[:port] of an http(s) origin, nothing looser. */
class OriginCheckTest {

  @Test
  void sameAuthorityOnly() {
    assertThat(OriginCheck.sameAuthority("http://localhost:8080", "localhost:8080")).isTrue();
    assertThat(OriginCheck.sameAuthority("https://Shop.Example", "shop.example")).isTrue();
    assertThat(OriginCheck.sameAuthority("http://localhost:8080/some/page?q=1", "localhost:8080")).isTrue();
    assertThat(OriginCheck.sameAuthority("http://localhost:8081", "localhost:8080")).isFalse();
    assertThat(OriginCheck.sameAuthority("http://shop.example.evil.example", "shop.example")).isFalse();
    assertThat(OriginCheck.sameAuthority("http://evil.example@shop.example", "shop.example")).isFalse();
    assertThat(OriginCheck.sameAuthority("null", "shop.example")).isFalse();
    assertThat(OriginCheck.sameAuthority("file:///etc/passwd", "shop.example")).isFalse();
    assertThat(OriginCheck.sameAuthority("not a url", "shop.example")).isFalse();
    assertThat(OriginCheck.sameAuthority("http://shop.example", null)).isFalse();
  }
}
