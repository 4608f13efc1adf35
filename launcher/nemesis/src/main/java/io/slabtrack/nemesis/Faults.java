package io.slabtrack.nemesis;

import io.slabtrack.cluster.config.AppName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The faults, each logged in the history when it starts and when it is healed. */
public final class Faults {
  private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

  private final Cluster cluster;
  private final Stock stock;
  private final History history;
  /** History times (ms) at which a fault was healed: recovery is measured from each. */
  private final List<Long> heals = new ArrayList<>();

  public Faults(Cluster cluster, Stock stock, History history) {
    this.cluster = cluster;
    this.stock = stock;
    this.history = history;
  }

  public List<Long> heals() {
    return heals;
  }

  private void healed(String what, String node) {
    heals.add(history.nemesis(what, node).atMillis());
  }

  /** kill -9 of a core node while claims are in flight, then of a Storefront node; both restarted. */
  public void crash(Duration down) throws Exception {
    NodeProcess core = cluster.nodes(AppName.CORE).get(0);
    NodeProcess shop = cluster.nodes(AppName.STOREFRONT).get(1);
    history.nemesis("kill -9", core.name());
    core.kill9();
    Thread.sleep(3000);
    history.nemesis("kill -9", shop.name());
    shop.kill9();
    Thread.sleep(down.toMillis());
    core.start();
    shop.start();
    history.nemesis("restart", core.name() + "," + shop.name());
    try {
      cluster.awaitReady(core, cluster.nodes().size(), Duration.ofSeconds(300));
      cluster.awaitReady(shop, cluster.nodes().size(), Duration.ofSeconds(300));
      healed("ready again", core.name() + "," + shop.name());
    } catch (IllegalStateException e) {
      // the run goes on: the checker judges what the cluster did with the nodes it had
      history.nemesis("not ready again: " + e.getMessage(), core.name() + "," + shop.name());
      heals.add(history.nowMillis());
    }
  }

  /** The member that owns the most hot cards' lock partitions, as core's sale-lock view reports owners. */
  public NodeProcess hotOwner() {
    Map<String, Integer> owners = new HashMap<>();
    NodeProcess core = cluster.nodes(AppName.CORE).stream().filter(NodeProcess::alive).findFirst().orElseThrow();
    for (int i = 0; i < 20; i++) {
      long[] card = stock.pick();
      if (card == null) {
        break;
      }
      Api.Answer a = Api.call("GET", cluster.url(core, "/api/sale-locks/" + card[0]),
          cluster.operatorToken(AppName.CORE), null, Duration.ofSeconds(5));
      String owner = a.json().getString("partitionOwner");
      if (owner != null) {
        owners.merge(owner, 1, Integer::sum);
      }
    }
    String top = owners.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    NodeProcess n = top == null ? null : cluster.byMember(top);
    LOG.info("hot lock partitions by owner: {} -> {}", owners, n == null ? "?" : n.name());
    return n != null ? n : cluster.nodes(AppName.STOREFRONT).get(0);
  }

  /** SIGSTOP of the member owning the hot lock partitions (a zombie that still believes it holds them), SIGCONT. */
  public void pause(Duration paused) throws Exception {
    NodeProcess owner = hotOwner();
    history.nemesis("SIGSTOP " + paused.toSeconds() + "s", owner.name());
    owner.signal("STOP");
    Thread.sleep(paused.toMillis());
    owner.signal("CONT");
    healed("SIGCONT", owner.name());
  }

  /** One node cut off from every other member (PostgreSQL, Stripe and buyers still reach it), then healed. */
  public void partition(Duration cut) throws Exception {
    if (!cluster.network().canPartition()) {
      throw new IllegalStateException("partition needs --network namespaces (root)");
    }
    NodeProcess victim = hotOwner();
    List<Integer> others = cluster.nodes().stream().map(NodeProcess::index).filter(i -> i != victim.index())
        .toList();
    history.nemesis("partition " + cut.toSeconds() + "s", victim.name());
    cluster.network().cut(victim.index(), others);
    Thread.sleep(cut.toMillis());
    cluster.network().heal();
    healed("healed", victim.name());
  }

  /** Every member-to-member and bus link slow and lossy for a while (HTTP and PostgreSQL untouched), then fast. */
  public void slow(LinkShaper.Profile profile, Duration length) throws Exception {
    LinkShaper shaper = cluster.shaper();
    if (shaper == null) {
      throw new IllegalStateException("slow links need a cluster started with its links through the shaper");
    }
    history.nemesis("slow links " + length.toSeconds() + "s: " + profile, "all");
    shaper.shape(profile);
    Thread.sleep(length.toMillis());
    shaper.shape(null);
    healed("links fast again", "all");
  }

  /** One app's PostgreSQL unreachable: open connections cut, new ones refused, for a while. */
  public void database(AppName app, Duration down) throws Exception {
    history.nemesis("database down " + down.toSeconds() + "s", app.id());
    cluster.forwarder(app).setDown(true);
    Thread.sleep(down.toMillis());
    cluster.forwarder(app).setDown(false);
    healed("database up", app.id());
  }
}
