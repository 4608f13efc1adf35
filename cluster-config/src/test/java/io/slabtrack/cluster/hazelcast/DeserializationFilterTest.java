package io.slabtrack.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import attacker.Gadget;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.EntryProcessor;
import io.slabtrack.cluster.auth.DisabledUsers;
import io.slabtrack.cluster.config.SaleLockSettings;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.salelock.AcquireRequest;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.cluster.testing.Poll;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hazelcast's Java deserialization filter on a real two-member cluster of ours: what a stranger member sends is
 * refused, and every structure the system shares between members still works under it.
 */
class DeserializationFilterTest {
  private static TestMembers members;
  private static ClusterNode a;
  private static ClusterNode b;

  @BeforeAll
  static void start() throws Exception {
    members = new TestMembers(2);
    a = members.start(0, Optional.empty());
    b = members.start(1, Optional.empty());
    Poll.until("two members", Duration.ofSeconds(30), () -> a.members().size() == 2 && b.members().size() == 2);
  }

  @AfterAll
  static void stop() throws Exception {
    members.close();
  }

  @Test
  void aGadgetSentByAStrangerMemberIsNeverDeserialized() throws Exception {
    HazelcastInstance stranger = members.startStranger();
    Poll.until("a safe three-member cluster", Duration.ofSeconds(60), () -> a.members().size() == 3
        && stranger.getPartitionService().isClusterSafe() && a.hazelcast().getPartitionService().isClusterSafe());
    long card = keyOwnedBy(stranger, a.hazelcast().getCluster().getLocalMember());
    int before = Gadget.READ_OBJECT_CALLS.get();

    // a Java-serialized object in an operation: the owner reads it before anything else happens
    assertThatThrownBy(() -> stranger.getMap(SaleLocks.MAP).executeOnKey(card, new Gadget()))
        .hasStackTraceContaining("is not allowed");
    assertThat(Gadget.READ_OBJECT_CALLS.get()).as("readObject calls on our member").isEqualTo(before);
    assertThat(a.hazelcast().getMap(SaleLocks.MAP).get(card)).isNull();
  }

  @Test
  void theBusMapsLocksCountersAndRemoteErrorsStillCrossMembers() throws Exception {
    // event bus: Vert.x's subscription and node-info maps
    a.vertx().eventBus().<JsonObject>consumer("test.filter.echo", m -> m.reply(m.body().put("seen", true)))
        .completion().await(10, TimeUnit.SECONDS);
    Poll.until("a reply across members", Duration.ofSeconds(20), () -> {
      try {
        return b.vertx().eventBus().<JsonObject>request("test.filter.echo", new JsonObject().put("n", 1))
            .await(5, TimeUnit.SECONDS).body().getBoolean("seen", false);
      } catch (Exception noHandlerYet) {
        return false;
      }
    });

    // a cluster-wide AsyncMap of String -> Long (UsedHandoffs), with keys on both members
    AsyncMap<String, Long> jti = b.vertx().sharedData().<String, Long>getClusterWideMap("slabtrack.handoff-jti")
        .await(10, TimeUnit.SECONDS);
    for (int i = 0; i < 20; i++) {
      assertThat(jti.putIfAbsent("jti-" + i, (long) i, 60_000).await(10, TimeUnit.SECONDS)).isNull();
    }
    AsyncMap<String, Long> seenFromA = a.vertx().sharedData().<String, Long>getClusterWideMap("slabtrack.handoff-jti")
        .await(10, TimeUnit.SECONDS);
    assertThat(seenFromA.get("jti-7").await(10, TimeUnit.SECONDS)).isEqualTo(7L);

    // a cluster-wide lock (the sale-lock sweeper's) and a counter, whose entry processors are serializable lambdas
    b.vertx().sharedData().getLockWithTimeout("test.filter.lock", 10_000).await(15, TimeUnit.SECONDS).release();
    String counter = "test.filter.counter-" + UUID.randomUUID();
    a.vertx().sharedData().getCounter(counter).compose(c -> c.incrementAndGet()).await(10, TimeUnit.SECONDS);
    assertThat(b.vertx().sharedData().getCounter(counter).compose(c -> c.incrementAndGet())
        .await(10, TimeUnit.SECONDS)).isEqualTo(2L);

    // the disabled-users replicated map
    DisabledUsers onA = new DisabledUsers(a);
    onA.start().await(10, TimeUnit.SECONDS);
    new DisabledUsers(b).disable("user-filter-1").await(10, TimeUnit.SECONDS);
    Poll.until("a sees the disabled user", Duration.ofSeconds(20), () -> onA.test("user-filter-1"));
    onA.stop().await(10, TimeUnit.SECONDS);

    // sale-locks: IdentifiedDataSerializable processors on cards owned by both members
    SaleLocks locks = new SaleLocks(b.vertx(), b.hazelcast(), SaleLockSettings.load(new Settings(Map.of())));
    locks.open().await(30, TimeUnit.SECONDS);
    List<Long> cards = LongStream.rangeClosed(1, 20).boxed().toList();
    String lockRef = "filter-test-" + UUID.randomUUID().toString().replace("-", "");
    assertThat(locks.acquire(new AcquireRequest(cards, "storefront", lockRef, "order-1", Duration.ofMinutes(1)))
        .await(30, TimeUnit.SECONDS)).hasSize(20);
    assertThat(locks.release(lockRef, cards).await(30, TimeUnit.SECONDS)).isEqualTo(20);

    // an exception thrown on the other member comes back as itself (Java serialization of the JDK's types)
    long cardOnA = keyOwnedBy(b.hazelcast(), a.hazelcast().getCluster().getLocalMember());
    assertThatThrownBy(() -> b.hazelcast().<Long, HazelcastJsonValue>getMap("test.filter.errors")
        .executeOnKey(cardOnA, new FailingProcessor()))
        .isInstanceOf(IllegalStateException.class).hasMessage("refused on the owner");
  }

  /** Ours (io.slabtrack.*), so allowed; it fails on the partition owner, whose exception travels back. */
  static final class FailingProcessor implements EntryProcessor<Long, HazelcastJsonValue, Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object process(Map.Entry<Long, HazelcastJsonValue> entry) {
      throw new IllegalStateException("refused on the owner");
    }
  }

  private static long keyOwnedBy(HazelcastInstance observer, Member owner) {
    for (long key = 1; ; key++) {
      if (owner.equals(observer.getPartitionService().getPartition(key).getOwner())) {
        return key;
      }
    }
  }
}
