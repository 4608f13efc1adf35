package io.slabtrack.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Forwarded addresses count only when configured, and then only the hop our proxy appended. */
class ClientAddressTest {

  @Test
  void peerUnlessForwardedForIsTrusted() {
    assertThat(ClientAddress.of("10.0.0.1", "1.2.3.4", false)).isEqualTo("10.0.0.1");
    assertThat(ClientAddress.of("10.0.0.1", null, true)).isEqualTo("10.0.0.1");
    assertThat(ClientAddress.of("10.0.0.1", "1.2.3.4", true)).isEqualTo("1.2.3.4");
    assertThat(ClientAddress.of("10.0.0.1", "6.6.6.6, 1.2.3.4", true)).as("spoofed first hop").isEqualTo("1.2.3.4");
    assertThat(ClientAddress.of("10.0.0.1", " , ", true)).isEqualTo("10.0.0.1");
  }

  @Test
  void anIpv6ClientCountsByItsSlash64() {
    assertThat(ClientAddress.bucket("2001:db8:1:2::1")).isEqualTo(ClientAddress.bucket("2001:db8:1:2:ffff::9"))
        .isEqualTo("20010db800010002::/64");
    assertThat(ClientAddress.bucket("2001:db8:1:3::1")).isNotEqualTo(ClientAddress.bucket("2001:db8:1:2::1"));
    assertThat(ClientAddress.bucket("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ClientAddress.bucket("192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ClientAddress.bucket("proxy-wrote-a-name")).isEqualTo("proxy-wrote-a-name");
  }
}
