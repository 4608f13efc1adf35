package io.slabtrack.cluster.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.TestNode;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Dev mode without JWT_SECRET signs tokens with a secret printed in the README: its HTTP must not be reachable
 * from the network, only from this machine, unless HTTP_HOST says otherwise.
 */
class DevSecretListenTest {

  @Test
  void withThePublicDevSecretHttpAnswersOnLoopbackOnly() throws Exception {
    InetAddress lan = nonLoopbackAddress().orElse(null);
    assumeTrue(lan != null, "this machine has no non-loopback IPv4 address to try from");
    // a blank JWT_SECRET is an unset one: the node falls back to the public dev secret
    try (TestNode dev = TestNode.start(Map.of("JWT_SECRET", ""), new BareModule(AppName.CORE))) {
      int port = dev.httpPort(AppName.CORE);
      assertThat(accepts(InetAddress.getLoopbackAddress(), port)).isTrue();
      assertThat(accepts(lan, port)).as("reachable on " + lan.getHostAddress()).isFalse();
    }
  }

  @Test
  void anExplicitHttpHostStillOpensIt() throws Exception {
    InetAddress lan = nonLoopbackAddress().orElse(null);
    assumeTrue(lan != null, "this machine has no non-loopback IPv4 address to try from");
    try (TestNode dev = TestNode.start(Map.of("JWT_SECRET", "", "HTTP_HOST", "0.0.0.0"),
        new BareModule(AppName.CORE))) {
      assertThat(dev.runtime(AppName.CORE).context().config().exposesDevSecret()).isTrue();
      assertThat(accepts(lan, dev.httpPort(AppName.CORE))).isTrue();
    }
  }

  private static boolean accepts(InetAddress address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    return NetworkInterface.networkInterfaces().filter(i -> {
      try {
        return i.isUp() && !i.isLoopback();
      } catch (IOException e) {
        return false;
      }
    }).flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
  }
}
