package io.slabtrack.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.net.NetServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two real members, one behind TCP relays (as behind NAT or a proxy) that it advertises with HZ_PUBLIC_ADDRESS and
 * EVENTBUS_PUBLIC_PORT: the other member knows it by the relay's address, and a bus request to it crosses the relays.
 */
class BehindAProxyTest {
  private final Vertx relays = Vertx.vertx();
  private final List<ClusterNode> nodes = new java.util.ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (ClusterNode n : nodes) {
      n.vertx().close().await(30, TimeUnit.SECONDS);
    }
    relays.close().await(30, TimeUnit.SECONDS);
  }

  /** Listens on a free loopback port and pipes every connection to the target; counts the bytes it carried. */
  private int relay(int targetPort, AtomicLong bytes) throws Exception {
    NetServer server = relays.createNetServer().connectHandler(in -> {
      in.pause();
      relays.createNetClient().connect(targetPort, "127.0.0.1").onSuccess(out -> {
        in.handler(b -> {
          bytes.addAndGet(b.length());
          out.write(b);
        });
        out.handler(b -> {
          bytes.addAndGet(b.length());
          in.write(b);
        });
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      }).onFailure(e -> in.close());
    });
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return server.actualPort();
  }

  private ClusterNode start(Map<String, String> env, int busPort) throws Exception {
    Settings settings = new Settings(env);
    NodeConfig config = NodeConfig.load(settings, RunMode.NODE, Optional.of(AppName.CORE));
    ClusterNode node = ClusterBootstrap.start(HazelcastConfigFactory.build(config, Optional.empty(), "core"),
        config.bindHost(), busPort, AdvertisedAddresses.load(settings, config.bindHost()), Optional.empty())
        .await(60, TimeUnit.SECONDS);
    nodes.add(node);
    return node;
  }

  @Test
  void theOtherMemberReachesItThroughWhatItAdvertises() throws Exception {
    int hzA = freePort();
    int hzB = freePort();
    int busB = freePort();
    AtomicLong hzBytes = new AtomicLong();
    AtomicLong busBytes = new AtomicLong();
    int hzRelay = relay(hzB, hzBytes);
    int busRelay = relay(busB, busBytes);
    Map<String, String> common = Map.of(
        "JWT_SECRET", "behind-a-proxy-secret-0123456789abcdef0123",
        "HZ_CLUSTER_NAME", "behind-a-proxy-" + UUID.randomUUID(),
        "HZ_MEMBERS", "127.0.0.1:" + hzA + ",127.0.0.1:" + hzRelay,
        "HZ_MIN_MEMBERS", "1");
    Map<String, String> envA = new HashMap<>(common);
    envA.put("HZ_PORT", String.valueOf(hzA));
    Map<String, String> envB = new HashMap<>(common);
    envB.put("HZ_PORT", String.valueOf(hzB));
    envB.put("HZ_PUBLIC_ADDRESS", "127.0.0.1:" + hzRelay);
    envB.put("EVENTBUS_PUBLIC_PORT", String.valueOf(busRelay));
    // B first: A joins by connecting to B (to its relay); a connection B opened to A would carry both ways
    ClusterNode b = start(envB, busB);
    ClusterNode a = start(envA, 0);
    b.vertx().eventBus().<String>consumer("behind.a.proxy", m -> m.reply("pong from b"));

    Poll.until("both members in one cluster", Duration.ofSeconds(30), () -> a.members().size() == 2);
    assertThat(a.members()).anySatisfy(m -> {
      assertThat(m.getUuid()).isEqualTo(b.hazelcast().getCluster().getLocalMember().getUuid());
      assertThat(m.getAddress().getPort()).as("B is known by its relay").isEqualTo(hzRelay);
    });
    String reply = Poll.until("a bus reply from b", Duration.ofSeconds(30), () -> {
      try {
        return a.vertx().eventBus().<String>request("behind.a.proxy", "ping", new DeliveryOptions()
            .setSendTimeout(2000)).await(5, TimeUnit.SECONDS).body();
      } catch (Exception e) {
        return null; // the consumer's registration is still on its way
      }
    }, r -> r != null);
    assertThat(reply).isEqualTo("pong from b");
    assertThat(hzBytes.get()).as("member traffic through B's relay").isPositive();
    assertThat(busBytes.get()).as("the bus request through B's relay").isPositive();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
