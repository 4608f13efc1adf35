package io.slabtrack.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.testing.Poll;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the clustered event bus, on one real Hazelcast cluster of four members in this JVM: two nodes with
 * certificates from the cluster's CA, one whose certificate another CA signed, one without TLS. All four are
 * Hazelcast members (the cluster name is no barrier to someone who has it), so each sees the others' consumers;
 * only the two good nodes can actually exchange messages.
 */
class EventBusTlsTest {
  private static final DeliveryOptions SHORT = new DeliveryOptions().setSendTimeout(3000);
  @TempDir
  static Path dir;
  private static TestMembers members;
  private static ClusterNode a;
  private static ClusterNode b;
  private static ClusterNode rogue;
  private static ClusterNode plaintext;
  private static final List<JsonObject> receivedByA = new CopyOnWriteArrayList<>();
  private static final List<JsonObject> receivedByRogue = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    TestCertificates ca = TestCertificates.authority("slabtrack-test", dir);
    TestCertificates otherCa = TestCertificates.authority("someone-else", dir);
    Path trust = ca.trustFile();
    members = new TestMembers(4);
    a = members.start(0, Optional.of(tls(ca.issue("node-a"), trust)));
    b = members.start(1, Optional.of(tls(ca.issue("node-b"), trust)));
    // the worst case for us: the rogue trusts our CA, so our certificates are fine to it; only its own is wrong
    rogue = members.start(2, Optional.of(tls(otherCa.issue("rogue"), trust)));
    plaintext = members.start(3, Optional.empty());
    Poll.until("four members", Duration.ofSeconds(60), () -> a.members().size() == 4);

    a.vertx().eventBus().<JsonObject>consumer("test.tls.a", m -> {
      receivedByA.add(m.body());
      m.reply(new JsonObject().put("answeredBy", "a"));
    }).completion().await(10, TimeUnit.SECONDS);
    rogue.vertx().eventBus().<JsonObject>consumer("test.tls.rogue", m -> {
      receivedByRogue.add(m.body());
      m.reply(new JsonObject().put("answeredBy", "rogue"));
    }).completion().await(10, TimeUnit.SECONDS);
    // every member sees both registrations (Hazelcast carries them, TLS or not) before anyone sends
    Poll.until("registrations everywhere", Duration.ofSeconds(30), () -> List.of(a, b, rogue, plaintext).stream()
        .allMatch(n -> n.clusterManager().getNodes().size() == 4));
  }

  @AfterAll
  static void stop() throws Exception {
    members.close();
  }

  private static EventBusTls tls(TestCertificates.NodeFiles node, Path trust) {
    return new EventBusTls(node.key(), node.cert(), trust);
  }

  @Test
  void twoNodesWithTheClustersCertificatesExchangeMessages() throws Exception {
    Poll.until("b's request answered by a over TLS", Duration.ofSeconds(30), () -> {
      try {
        return "a".equals(b.vertx().eventBus().<JsonObject>request("test.tls.a", new JsonObject().put("from", "b"),
            SHORT).await(5, TimeUnit.SECONDS).body().getString("answeredBy"));
      } catch (Exception notYet) {
        return false;
      }
    });
    assertThat(receivedByA).anyMatch(m -> "b".equals(m.getString("from")));
  }

  @Test
  void aNodeWhoseCertificateAnotherCaSignedCanNeitherSendNorReceive() throws Exception {
    for (int i = 0; i < 3; i++) {
      JsonObject release = new JsonObject().put("from", "rogue").put("attempt", i);
      assertThatThrownBy(() -> rogue.vertx().eventBus().request("test.tls.a", release, SHORT)
          .await(10, TimeUnit.SECONDS)).as("rogue -> a, attempt " + i).isNotNull();
    }
    assertThatThrownBy(() -> a.vertx().eventBus().request("test.tls.rogue", new JsonObject().put("from", "a"), SHORT)
        .await(10, TimeUnit.SECONDS)).as("a -> rogue").isNotNull();

    assertThat(receivedByA).noneMatch(m -> "rogue".equals(m.getString("from")));
    assertThat(receivedByRogue).isEmpty();
  }

  @Test
  void aNodeWithoutTlsCannotSendToOne() throws Exception {
    assertThatThrownBy(() -> plaintext.vertx().eventBus().request("test.tls.a",
        new JsonObject().put("from", "plaintext"), SHORT).await(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(receivedByA).noneMatch(m -> "plaintext".equals(m.getString("from")));
  }

  @Test
  void theSettingsAreAllOrNoneAndNameTheMissingOne() throws Exception {
    assertThat(EventBusTls.load(new Settings(Map.of()))).isEmpty();
    Path file = TestCertificates.authority("settings", dir).trustFile();
    assertThatThrownBy(() -> EventBusTls.load(new Settings(Map.of(EventBusTls.KEY, file.toString(),
        EventBusTls.CERT, file.toString())))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing: EVENTBUS_TLS_TRUST");
    assertThatThrownBy(() -> EventBusTls.load(new Settings(Map.of(EventBusTls.KEY, file.toString(),
        EventBusTls.CERT, file.toString(), EventBusTls.TRUST, dir.resolve("nope.pem").toString()))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("EVENTBUS_TLS_TRUST names a file that does not");
    assertThat(EventBusTls.load(new Settings(Map.of(EventBusTls.KEY, file.toString(), EventBusTls.CERT,
        file.toString(), EventBusTls.TRUST, file.toString())))).contains(new EventBusTls(file, file, file));
  }
}
