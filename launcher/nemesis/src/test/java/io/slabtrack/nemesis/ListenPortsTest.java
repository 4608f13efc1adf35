package io.slabtrack.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports for the harness's nodes: below the kernel's ephemeral range, never the same twice, and bindable. */
class ListenPortsTest {
  @Test
  void portsComeFromBelowTheEphemeralRangeOnceEachAndCanBeBound() throws Exception {
    int ephemeralStart = ListenPorts.ephemeralStart();
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = ListenPorts.free();
      assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
      if (ephemeralStart > 11_000) {
        assertThat(port).isBetween(10_000, ephemeralStart - 1);
      }
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(s.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
