package io.slabtrack.cluster.salelock;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.slabtrack.cluster.config.SaleLockSettings;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.TestNode;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A single-card release ({@link LockProcessors.ReleaseOne}) replicates what the owner did, not the check: its backups
 * delete the lock only when the owner removed it. Three real members in this JVM; a member owning some of the cards
 * is then killed (terminate: no graceful migration, its backups are promoted). Every lock a wrong lockRef tried to
 * release is still held by its holder on the new owners, and every lock its holder released stays gone: a backup
 * that deleted on every release, or one that was never told, would fail one of the two.
 */
class ReleaseBackupTest {
  private static final int CARDS = 60;

  private static String ref(String what, long card) {
    return what + "-" + card + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void afterTheOwnerIsKilledWrongReleasesLeftTheLocksAndRightOnesStayReleased() throws Exception {
    String cluster = "release-backup-" + UUID.randomUUID();
    int p1 = TestNode.freePort();
    int p2 = TestNode.freePort();
    int p3 = TestNode.freePort();
    String members = "127.0.0.1:" + p1 + ",127.0.0.1:" + p2 + ",127.0.0.1:" + p3;
    HazelcastInstance a = SaleLockMembers.member(cluster, p1, members);
    HazelcastInstance b = SaleLockMembers.member(cluster, p2, members);
    HazelcastInstance c = SaleLockMembers.member(cluster, p3, members);
    Vertx vertx = Vertx.vertx();
    try {
      Poll.until("three members, partitions in place", Duration.ofSeconds(90), () -> a.getCluster().getMembers()
          .size() == 3 && a.getPartitionService().isClusterSafe());
      SaleLockSettings settings = new SaleLockSettings(Duration.ofSeconds(600), Duration.ofSeconds(3600),
          Duration.ofSeconds(15), Duration.ofSeconds(120), Duration.ofMillis(10_000));
      SaleLocks locks = new SaleLocks(vertx, a, settings);
      locks.open().await(30, TimeUnit.SECONDS);

      Map<Long, String> holders = new java.util.HashMap<>();
      List<Long> releasedByHolder = new ArrayList<>();
      List<Long> triedByStranger = new ArrayList<>();
      int ownedByB = 0;
      for (long card = 9_300_000L; card < 9_300_000L + CARDS; card++) {
        String holder = ref("holder", card);
        locks.acquire(AcquireRequest.of(List.of(card), "storefront", holder, "order-" + card,
            Duration.ofSeconds(600), Duration.ofSeconds(600))).await(10, TimeUnit.SECONDS);
        holders.put(card, holder);
        if (card % 2 == 0) {
          assertThat(locks.release(holder, List.of(card)).await(10, TimeUnit.SECONDS)).isEqualTo(1);
          releasedByHolder.add(card);
        } else {
          assertThat(locks.release(ref("stranger", card), List.of(card)).await(10, TimeUnit.SECONDS)).isZero();
          triedByStranger.add(card);
        }
        if (b.getPartitionService().getPartition(card).getOwner().localMember()) {
          ownedByB++;
        }
      }
      assertThat(ownedByB).as("the member to kill owns some of the cards").isGreaterThan(5);

      b.getLifecycleService().terminate();
      Poll.until("the two others took over b's partitions", Duration.ofSeconds(60), () -> a.getCluster().getMembers()
          .size() == 2 && a.getPartitionService().isClusterSafe());

      Map<Long, SaleLock> held = locks.holders(holders.keySet()).await(20, TimeUnit.SECONDS);
      assertThat(held.keySet()).as("the locks strangers tried to release, and only those")
          .containsExactlyInAnyOrderElementsOf(triedByStranger);
      triedByStranger.forEach(card -> assertThat(held.get(card).lockRef()).isEqualTo(holders.get(card)));
      // and they still are the holders' to release, on the new owners
      for (long card : triedByStranger) {
        assertThat(locks.release(holders.get(card), List.of(card)).await(10, TimeUnit.SECONDS)).isEqualTo(1);
      }
      assertThat(locks.holders(holders.keySet()).await(20, TimeUnit.SECONDS)).isEmpty();
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
      c.shutdown();
      a.shutdown();
      if (b.getLifecycleService().isRunning()) {
        b.shutdown();
      }
    }
  }
}
