package io.slabtrack.nemesis;

import java.util.List;

/**
 * Where the node JVMs live and how the nemesis cuts their links. {@link Loopback}: every node on 127.0.0.1 (crash
 * and pause need nothing more). {@link Namespaces}: each node in a network namespace of its own on a bridge (root
 * only), so a node can be cut off from its peers.
 */
public interface Network extends AutoCloseable {
  /** Prepares room for {@code nodes} nodes. */
  void setUp(int nodes) throws Exception;

  /** The address node {@code i} binds and is reached on. */
  String host(int i);

  /** The address the nodes reach this JVM on (Stripe simulator, PostgreSQL forwarder). */
  String gateway();

  /** The command prefix that runs a process in node {@code i}'s network. */
  List<String> prefix(int i);

  /** Silently drops every packet between node {@code i} and each of {@code peers} (both ways). */
  void cut(int i, List<Integer> peers) throws Exception;

  /** Undoes every cut. */
  void heal() throws Exception;

  boolean canPartition();

  @Override
  void close();

  /** Every node on loopback: no partitions. */
  final class Loopback implements Network {
    @Override
    public void setUp(int nodes) {
    }

    @Override
    public String host(int i) {
      return "127.0.0.1";
    }

    @Override
    public String gateway() {
      return "127.0.0.1";
    }

    @Override
    public List<String> prefix(int i) {
      return List.of();
    }

    @Override
    public void cut(int i, List<Integer> peers) {
      throw new UnsupportedOperationException("partitions need --network namespaces (root)");
    }

    @Override
    public void heal() {
    }

    @Override
    public boolean canPartition() {
      return false;
    }

    @Override
    public void close() {
    }
  }
}
