package io.slabtrack.core.login;

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
}
