package io.slabtrack.launcher.bench;

import java.util.Map;
import java.util.TreeMap;

/** Prints benchmark results as a small markdown table (pasted as-is into resolution notes). */
final class Table {
  private Table() {
  }

  static void print(String title, Map<String, LatencyRun.Result> rows) {
    System.out.println();
    System.out.println("### " + title);
    System.out.println("| path | throughput (req/s) | p50 (µs) | p99 (µs) | max (µs) | failures |");
    System.out.println("|---|---|---|---|---|---|");
    rows.forEach((name, r) -> System.out.printf("| %s | %,.0f | %d | %d | %d | %d |%n", name,
        r.throughput(), r.latencyMicros().getValueAtPercentile(50), r.latencyMicros().getValueAtPercentile(99),
        r.latencyMicros().getMaxValue(), r.failures()));
    System.out.flush();
  }
}
