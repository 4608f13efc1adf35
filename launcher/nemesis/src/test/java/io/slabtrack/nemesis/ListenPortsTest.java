package io.slabtrack.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Scanner;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports for the harness's nodes: below the kernel's ephemeral range, never the same twice, and bindable. */
class ListenPortsTest {
  @Test
  void portsComeFromBelowTheEphemeralRangeOnceEachAndCanBeBound() throws Exception {
    int ephemeralStart = ListenPorts.ephemeralStart();
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    if (Files.exists(range)) {
      assertThat(ephemeralStart).as("the kernel's setting, read whole").isEqualTo(
          Integer.parseInt(new Scanner(range).next()));
    }
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
