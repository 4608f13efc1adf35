package io.slabtrack.nemesis;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault-injection run per scenario: a fresh cluster, buyers racing for hot cards while the scenario's faults
 * strike, a quiet period, then the {@link Checker}. Answers one table row per scenario.
 */
public final class Nemesis {
  private static final Logger LOG = LoggerFactory.getLogger(Nemesis.class);
  static final Duration WARM_UP = Duration.ofSeconds(15);
  static final int BUYERS = 12;

  /** @param namespaces run the nodes in network namespaces (root); partitions need it */
  public record Options(Path jar, Path workDir, Duration length, Duration pause, boolean namespaces) {
  }

  /** A table row. {@code recoverySeconds} is -1 when no fault was injected. */
  public record Row(String scenario, Checker.Verdict verdict, double recoverySeconds, long noAnswer,
                    long slowerThan2s) {
    public boolean safe() {
      return verdict.doubleSales() == 0 && verdict.lostPayments() == 0 && verdict.unresolved() == 0;
    }
  }

  private Nemesis() {
  }

  public static Row run(Scenario scenario, Options options, PrintStream out) throws Exception {
    Path dir = options.workDir().resolve(scenario.id() + "-" + System.currentTimeMillis());
    Network network = options.namespaces() || scenario.needsNamespaces() ? new Namespaces() : new Network.Loopback();
    try (Cluster cluster = new Cluster(network, options.jar(), dir.resolve("logs"),
        scenario.shapesLinks());
         History history = new History(dir.resolve("history.txt"))) {
      out.println("nemesis " + scenario.id() + ": starting " + Cluster.NODES_PER_APP * 3 + " nodes (logs and history "
          + "in " + dir + ")");
      cluster.start();
      Sql sql = new Sql(cluster);
      Stock stock = new Stock(cluster, sql);
      stock.openShop();
      stock.topUp(Duration.ofSeconds(90));
      out.println("nemesis " + scenario.id() + ": " + stock.hotCount() + " hot cards listed on ToT and in the shop; "
          + "buyers start");
      Buyers buyers = new Buyers(cluster, stock, history, BUYERS);
      Faults faults = new Faults(cluster, stock, history);
      long end = System.nanoTime() + options.length().toNanos();
      Thread stocker = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          try {
            stock.topUp(Duration.ofSeconds(5));
            Thread.sleep(3000);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            LOG.warn("stocker: {}", e.toString());
          }
        }
      }, "stocker");
      buyers.start();
      stocker.start();
      Thread.sleep(WARM_UP.toMillis());
      scenario.inject(faults, options.pause());
      long left = end - System.nanoTime();
      if (left > 0) {
        Thread.sleep(left / 1_000_000);
      }
      buyers.stopAndWait();
      stocker.interrupt();
      stocker.join(30_000);
      history.nemesis("buyers stopped", "-");
      try (Checker checker = new Checker(cluster, sql, out)) {
        // quiet: abandoned checkouts expire with their locks, outboxes drain
        long quietEnd = System.nanoTime() + Duration.ofSeconds(Cluster.LOCK_TTL_SECONDS + Cluster.LOCK_GRACE_SECONDS
            + 60).toNanos();
        long waiting = checker.inFlight();
        while (waiting > 0 && System.nanoTime() < quietEnd) {
          Thread.sleep(2000);
          waiting = checker.inFlight();
        }
        history.nemesis("quiet (" + waiting + " still in flight)", "-");
        Checker.Verdict verdict = checker.check(history, stock.allCards());
        Row row = new Row(scenario.id(), verdict, recovery(history, faults.heals()),
            history.lines().stream().filter(l -> l.type().equals("info") && l.detail() != null
                && l.detail().startsWith("timeout")).count(),
            history.lines().stream().filter(l -> (l.op().equals("checkout") || l.op().equals("play"))
                && !l.type().equals("invoke") && l.detail() != null && slow(l.detail())).count());
        for (String v : verdict.violations()) {
          out.println("VIOLATION " + v);
        }
        return row;
      }
    }
  }

  private static boolean slow(String detail) {
    int at = detail.lastIndexOf(" in ");
    String ms = at >= 0 ? detail.substring(at + 4).replace("ms", "").trim() : detail.replace("in ", "")
        .replace("ms", "").trim();
    try {
      return Long.parseLong(ms) > 2000;
    } catch (NumberFormatException e) {
      return detail.startsWith("timeout");
    }
  }

  /**
   * Time to recover: from the first fault until the buyers stopped, the longest stretch in which no checkout, or no
   * play, succeeded (the stretch from the fault to the first success included). Healthy runs show the normal gap
   * between sales; a fault that stops sales shows how long it stopped them.
   */
  static double recovery(History history, List<Long> heals) {
    List<History.Line> lines = history.lines();
    long start = lines.stream().filter(l -> l.process().equals("nemesis") && !l.op().equals("buyers stopped"))
        .mapToLong(History.Line::atMillis).min().orElse(-1);
    if (start < 0 || heals.isEmpty()) {
      return -1;
    }
    long stop = lines.stream().filter(l -> l.op().equals("buyers stopped")).mapToLong(History.Line::atMillis)
        .findFirst().orElse(history.nowMillis());
    long worst = 0;
    for (String op : List.of("checkout", "play")) {
      long last = start;
      for (History.Line l : lines) {
        if (l.atMillis() >= start && l.atMillis() <= stop && l.type().equals("ok") && l.op().equals(op)) {
          worst = Math.max(worst, l.atMillis() - last);
          last = l.atMillis();
        }
      }
      worst = Math.max(worst, stop - last);
    }
    return worst / 1000.0;
  }

  /** The markdown table of the rows. */
  public static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| scenario | operations | sales | double sales | lost payments | orders unresolved | time to recover "
        + "| no answer in 10 s | answers > 2 s |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      String rec = r.recoverySeconds() < 0 ? "n/a" : String.format("%.1f s", r.recoverySeconds());
      b.append(String.format("| %s | %d | %d | %d | %d | %d | %s | %d | %d |%n", r.scenario(),
          r.verdict().operations(), r.verdict().sales(), r.verdict().doubleSales(), r.verdict().lostPayments(),
          r.verdict().unresolved(), rec, r.noAnswer(), r.slowerThan2s()));
    }
    return b.toString();
  }

  public static List<Scenario> scenarios(String name) {
    if (name.equalsIgnoreCase("all")) {
      return List.of(Scenario.CRASH, Scenario.PAUSE, Scenario.PARTITION, Scenario.DATABASE, Scenario.SLOW,
          Scenario.MIXED);
    }
    List<Scenario> list = new ArrayList<>();
    for (String s : name.split(",")) {
      list.add(Scenario.parse(s.trim()));
    }
    return list;
  }
}
