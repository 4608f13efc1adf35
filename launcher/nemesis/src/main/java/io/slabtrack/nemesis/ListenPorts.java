package io.slabtrack.nemesis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers the harness starts later, in other processes. A port from {@code ServerSocket(0)} comes
 * from the kernel's ephemeral range and is free only when picked: before its node binds it, the kernel may hand it to
 * one of the cluster's own outgoing connections (PostgreSQL pools, Hazelcast members), and the node exits with
 * "Address already in use" (a NemesisCrashIT failure). Ports below that range are never given to outgoing
 * connections, so one picked there and bindable now stays free for the node.
 */
public final class ListenPorts {
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LOWEST = 10_000;
  /** Ports handed out by this JVM: two picks never name the same port before either is bound. */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private ListenPorts() {
  }

  public static int free() throws IOException {
    int ephemeralStart = ephemeralStart();
    if (ephemeralStart - LOWEST >= 1_000) {
      for (int attempt = 0; attempt < 200; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralStart);
        if (!HANDED_OUT.contains(port) && bindable(port)) {
          HANDED_OUT.add(port);
          return port;
        }
      }
    }
    // no room below the ephemeral range (an unusual kernel setting): the kernel's pick, as before, never twice
    for (int attempt = 0; ; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (HANDED_OUT.add(s.getLocalPort()) || attempt >= 20) {
          return s.getLocalPort();
        }
      }
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of the kernel's ephemeral range (Linux), or 32768, its usual value, when it can't be read. */
  static int ephemeralStart() {
    try {
      // read line-wise: /proc files report size 0, and Files.readString returned only their first byte ("3")
      return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
