package io.slabtrack.launcher.it;

import io.slabtrack.nemesis.ListenPorts;
import java.io.IOException;

/**
 * Free loopback ports for the processes a test starts: the nemesis harness's {@link ListenPorts} (below the kernel's
 * ephemeral range, so no outgoing connection of the cluster is given one before its node binds it). Free when
 * picked only: start processes with {@link NodeProcess#startOnFreshPorts} (or, for in-JVM servers, bind port 0 and
 * ask the server for its port).
 */
final class Ports {
  private Ports() {
  }

  static int free() {
    try {
      return ListenPorts.free();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
