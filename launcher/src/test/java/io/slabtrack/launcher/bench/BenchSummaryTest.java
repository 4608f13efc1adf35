package io.slabtrack.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code bench all} reads its scenarios' output and wrk's: the figures in the summary come from these. */
class BenchSummaryTest {

  @Test
  void aScenarioTableBecomesOurFigureAndItsAnchor() {
    AllBenchmarks.Run run = new AllBenchmarks.Run(0, List.of("log line", "### event-bus",
        "| path | throughput (req/s) | p50 (µs) | p99 (µs) | max (µs) | failures |", "|---|---|---|---|---|---|",
        "| clustered, 2 JVMs | 2,407 | 9919 | 173183 | 290559 | 0 |",
        "| local, 1 JVM (anchor) | 8,823 | 331 | 142847 | 478719 | 0 |", "done"));
    List<SummaryTable.Row> rows = AllBenchmarks.rowsOf(new AllBenchmarks.Scenario("bus", List.of(), "goal"), run);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).ours()).isEqualTo("clustered, 2 JVMs: 2,407 throughput (req/s)");
    assertThat(rows.get(0).anchor()).isEqualTo("local, 1 JVM (anchor): 8,823 throughput (req/s)");
  }

  @Test
  void aBrowseTableKeepsItsRoutesAndTheBareRouteIsTheAnchor() {
    AllBenchmarks.Run run = new AllBenchmarks.Run(0, List.of("### buyer browse",
        "| cards / listings | route | p50 (ms) | p99 (ms) | req/s | share of the app's bare route |",
        "|---|---|---|---|---|---|",
        "| 12 | Storefront bare 404 `/api/storefronts/x/cards/x` | 3.47 | 66.39 | 13,967 | 100 % |",
        "| 12 | `GET /s/bench-shop` (page) | 22.82 | 89.25 | 2,584 | 18 % |"));
    List<SummaryTable.Row> rows = AllBenchmarks.rowsOf(new AllBenchmarks.Scenario("browse", List.of(), "g"), run);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).ours()).isEqualTo("12 `GET /s/bench-shop` (page): 2,584 req/s");
    assertThat(rows.get(0).anchor()).isEqualTo("12 Storefront bare 404 `/api/storefronts/x/cards/x`: 13,967 req/s");
  }

  @Test
  void summaryShapedRowsAreCopiedAndAFailedRunSaysSo() {
    AllBenchmarks.Run run = new AllBenchmarks.Run(1, List.of(SummaryTable.HEADER, "|---|---|---|---|",
        "| soak 2 min | 50 → 51 MB | bench JVM 60 MB | ≤ 512 MB |", "error: IllegalStateException: boom"));
    List<SummaryTable.Row> rows = AllBenchmarks.rowsOf(new AllBenchmarks.Scenario("soak", List.of(), "g"), run);
    assertThat(rows).extracting(SummaryTable.Row::scenario).containsExactly("soak 2 min", "soak");
    assertThat(rows.get(1).ours()).contains("failed (exit 1)").contains("boom");
  }

  @Test
  void wrkOutputGivesRateAndPercentiles() {
    String out = """
        Running 10s test @ http://127.0.0.1:8080/x
          2 threads and 64 connections
          Latency Distribution
             50%  812.00us
             75%    1.20ms
             90%    2.00ms
             99%   12.50ms
          420000 requests in 10.00s, 50.00MB read
          Non-2xx or 3xx responses: 420000
        Requests/sec:  42000.12
        Transfer/sec:      5.00MB
        """;
    Wrk.Result r = Wrk.parse(out, 64, 10);
    assertThat(r.requestsPerSecond()).isEqualTo(42000.12);
    assertThat(r.p50Ms()).isEqualTo(0.812);
    assertThat(r.p99Ms()).isEqualTo(12.5);
    assertThat(r.non2xx()).isEqualTo(420000);
  }
}
