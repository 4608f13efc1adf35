package io.slabtrack.launcher.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free loopback ports for the processes a test starts. Free when picked only: the socket is closed before the
 * process binds the port, so start processes with {@link NodeProcess#startOnFreshPorts} (or, for in-JVM servers,
 * bind port 0 and ask the server for its port).
 */
final class Ports {
  private Ports() {
  }

  static int free() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
