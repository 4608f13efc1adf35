package io.slabtrack.nemesis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One network namespace per node, each with a veth into a bridge in the root namespace that holds the gateway
 * address. Only addresses inside a random 10.x.y.0/24 of this run are used; everything is removed on close.
 *
 * <p>A cut is a silent drop, not a refusal: each side gets a permanent neighbour entry pointing the other's address
 * at a MAC address nobody has, so packets leave and vanish and TCP waits, as on a real partition. (This machine's
 * kernel has neither netem nor the prio qdisc, and there is no iptables; neighbour entries need neither.)
 */
public final class Namespaces implements Network {
  private static final Logger LOG = LoggerFactory.getLogger(Namespaces.class);
  private static final String NOWHERE_MAC = "02:00:5e:00:de:ad";

  private final String run = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  private final int subnetB = 200 + ThreadLocalRandom.current().nextInt(50);
  private final int subnetC = ThreadLocalRandom.current().nextInt(250);
  private final List<String[]> cuts = new ArrayList<>();
  private int nodes;

  private String bridge() {
    return "stb" + run;
  }

  private String ns(int i) {
    return "st" + run + "n" + i;
  }

  private String hostVeth(int i) {
    return "stv" + run + "h" + i;
  }

  private String nodeVeth(int i) {
    return "stv" + run + "n" + i;
  }

  private String subnet() {
    return "10." + subnetB + "." + subnetC + ".";
  }

  @Override
  public void setUp(int count) throws Exception {
    this.nodes = count;
    sh("ip", "link", "add", bridge(), "type", "bridge");
    sh("ip", "addr", "add", gateway() + "/24", "dev", bridge());
    sh("ip", "link", "set", bridge(), "up");
    for (int i = 0; i < count; i++) {
      sh("ip", "netns", "add", ns(i));
      sh("ip", "link", "add", hostVeth(i), "type", "veth", "peer", "name", nodeVeth(i));
      sh("ip", "link", "set", nodeVeth(i), "netns", ns(i));
      sh("ip", "link", "set", hostVeth(i), "master", bridge());
      sh("ip", "link", "set", hostVeth(i), "up");
      sh("ip", "netns", "exec", ns(i), "ip", "addr", "add", host(i) + "/24", "dev", nodeVeth(i));
      sh("ip", "netns", "exec", ns(i), "ip", "link", "set", nodeVeth(i), "up");
      sh("ip", "netns", "exec", ns(i), "ip", "link", "set", "lo", "up");
    }
    LOG.info("network: bridge {} {}0/24, {} namespaces", bridge(), subnet(), count);
  }

  @Override
  public String host(int i) {
    return subnet() + (10 + i);
  }

  @Override
  public String gateway() {
    return subnet() + "1";
  }

  @Override
  public List<String> prefix(int i) {
    return List.of("ip", "netns", "exec", ns(i));
  }

  @Override
  public synchronized void cut(int i, List<Integer> peers) throws Exception {
    for (int p : peers) {
      blackhole(i, p);
      blackhole(p, i);
    }
  }

  private void blackhole(int from, int to) throws Exception {
    sh("ip", "netns", "exec", ns(from), "ip", "neigh", "replace", host(to), "lladdr", NOWHERE_MAC, "nud",
        "permanent", "dev", nodeVeth(from));
    cuts.add(new String[] {ns(from), host(to), nodeVeth(from)});
  }

  @Override
  public synchronized void heal() throws Exception {
    for (String[] c : cuts) {
      sh("ip", "netns", "exec", c[0], "ip", "neigh", "del", c[1], "dev", c[2]);
    }
    cuts.clear();
  }

  @Override
  public boolean canPartition() {
    return true;
  }

  @Override
  public void close() {
    for (int i = 0; i < nodes; i++) {
      quietly("ip", "link", "del", hostVeth(i));
      quietly("ip", "netns", "del", ns(i));
    }
    quietly("ip", "link", "del", bridge());
  }

  private static void quietly(String... cmd) {
    try {
      sh(cmd);
    } catch (Exception e) {
      LOG.warn("cleanup: {}", e.getMessage());
    }
  }

  static void sh(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
    }
  }
}
