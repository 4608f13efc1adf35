package io.slabtrack.cluster.salelock;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.slabtrack.cluster.config.SaleLockSettings;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.SettableClock;
import io.slabtrack.cluster.testing.TestNode;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sweeper has no cluster-wide lock: each member sweeps the lock partitions it owns. Two real members in this
 * JVM: each sees only its own expired locks, and together they see every one, each exactly once.
 */
class SweepOwnPartitionsTest {

  @Test
  void eachMemberSweepsItsOwnPartitionsAndTogetherTheySeeEveryExpiredLockOnce() throws Exception {
    String cluster = "sweep-own-" + UUID.randomUUID();
    int p1 = TestNode.freePort();
    int p2 = TestNode.freePort();
    String members = "127.0.0.1:" + p1 + ",127.0.0.1:" + p2;
    HazelcastInstance a = SaleLockMembers.member(cluster, p1, members);
    HazelcastInstance b = SaleLockMembers.member(cluster, p2, members);
    Vertx vertx = Vertx.vertx();
    try {
      Poll.until("two members", Duration.ofSeconds(60), () -> a.getCluster().getMembers().size() == 2);
      SettableClock clock = new SettableClock();
      SaleLockSettings settings = new SaleLockSettings(Duration.ofSeconds(600), Duration.ofSeconds(3600),
          Duration.ofSeconds(15), Duration.ofSeconds(120), Duration.ofMillis(5000));
      SaleLocks onA = new SaleLocks(vertx, a, settings, clock);
      SaleLocks onB = new SaleLocks(vertx, b, settings, clock);
      onA.open().await(30, TimeUnit.SECONDS);
      onB.open().await(30, TimeUnit.SECONDS);
      Set<Long> cards = new HashSet<>();
      for (long card = 9_100_000L; card < 9_100_040L; card++) {
        onA.acquire(AcquireRequest.of(List.of(card), "storefront", "own-partition-lock-" + card, "order-" + card,
            Duration.ofSeconds(60), Duration.ofSeconds(60))).await(10, TimeUnit.SECONDS);
        cards.add(card);
      }
      assertThat(onA.expiredOwnedHere().await(10, TimeUnit.SECONDS)).as("nothing expired yet").isEmpty();
      clock.advance(Duration.ofSeconds(61));

      List<Long> seenByA = onA.expiredOwnedHere().await(10, TimeUnit.SECONDS).stream().map(SaleLock::cardId).toList();
      List<Long> seenByB = onB.expiredOwnedHere().await(10, TimeUnit.SECONDS).stream().map(SaleLock::cardId).toList();
      assertThat(seenByA).as("each member owns some of 40 locks' partitions").isNotEmpty();
      assertThat(seenByB).as("each member owns some of 40 locks' partitions").isNotEmpty();
      assertThat(seenByA).doesNotContainAnyElementsOf(seenByB);
      List<Long> together = new ArrayList<>(seenByA);
      together.addAll(seenByB);
      assertThat(together).containsExactlyInAnyOrderElementsOf(cards);
      for (long card : seenByA) {
        assertThat(a.getPartitionService().getPartition(card).getOwner().localMember()).isTrue();
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
      b.shutdown();
      a.shutdown();
    }
  }
}
