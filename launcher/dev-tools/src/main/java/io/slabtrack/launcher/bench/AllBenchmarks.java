package io.slabtrack.launcher.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "all", mixinStandardHelpOptions = true,
    description = "Runs every bench scenario (short settings), each in a JVM of its own, and prints ONE markdown "
        + "table: scenario | our figure | anchor measured in the same run | goal (README quotes it with its date). "
        + "Figures are printed, never judged: nothing fails on a number.")
public final class AllBenchmarks implements Callable<Integer> {

  /**
   * A row of the table: {@code bench <args>} in a child JVM. Its output's markdown tables become our figure and
   * anchor: rows naming an "anchor" are the anchor, the others our figure (a table already shaped like
   * {@link SummaryTable} is copied as is). Adding a scenario = adding a line to {@link #SCENARIOS}.
   */
  record Scenario(String name, List<String> args, String goal) {
  }

  static final List<Scenario> SCENARIOS = List.of(
      new Scenario("bus", List.of("bus", "--requests", "20000"), "– (the floor under every cross-JVM call)"),
      new Scenario("outbox", List.of("outbox", "--messages", "20000"), "≥ 10k msg/s to another JVM"),
      new Scenario("locks", List.of("locks", "--pairs", "10000", "--warmup-rounds", "6"), "≥ 0.8 of raw IMap, ≥ 0.5 of Redis"),
      new Scenario("publish", List.of("publish", "--cards", "5000"), "10,000 publishes applied in ≤ 5 s"),
      new Scenario("claims", List.of("claims", "--cards", "2500"), "≥ 2,000 contended claims/s, one winner"),
      new Scenario("reconcile", List.of("reconcile", "--cards", "5000", "--drift", "100"), "–"),
      new Scenario("browse", List.of("browse", "--cards", "12,5000", "--seconds", "5"),
          "≥ 25 % of the bare route, p99 ≤ 20 ms, flat in the shop's size"),
      new Scenario("soak", List.of("soak", "--minutes", "2"), "≤ 512 MB after GC, flat"));

  @Option(names = "--only", split = ",", description = "run only these scenarios (names as in the table)")
  List<String> only;

  @Option(names = "--soak-minutes", defaultValue = "2", description = "minutes of the soak row (default ${DEFAULT-VALUE})")
  int soakMinutes;

  @Override
  public Integer call() throws Exception {
    List<SummaryTable.Row> rows = new ArrayList<>();
    Wrk.binary(); // says how to install wrk (or installs it as root) before anything long runs
    for (Scenario s : SCENARIOS) {
      if (only != null && !only.contains(s.name())) {
        continue;
      }
      List<String> args = new ArrayList<>(s.args());
      if (s.name().equals("soak")) {
        args.set(args.indexOf("--minutes") + 1, String.valueOf(soakMinutes));
      }
      System.out.println();
      System.out.println("=== bench " + String.join(" ", args));
      long t0 = System.nanoTime();
      Run run = runChild(args);
      rows.addAll(rowsOf(s, run));
      System.out.printf("=== bench %s: exit %d after %.0f s%n", s.name(), run.exit, (System.nanoTime() - t0) / 1e9);
    }
    SummaryTable.print("bench all, " + LocalDate.now(ZoneOffset.UTC) + " (load average at the end "
        + loadAverage() + ", " + Runtime.getRuntime().availableProcessors() + " cores)", rows);
    return 0;
  }

  record Run(int exit, List<String> lines) {
  }

  private static Run runChild(List<String> args) throws Exception {
    Path jar = Path.of(AllBenchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx768m", "-cp", jar.toString(), "io.slabtrack.launcher.Main", "bench"));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        if (line.startsWith("|") || line.startsWith("###") || line.startsWith("setup") || line.startsWith("checkouts")
            || line.startsWith("ERROR") || line.startsWith("error") || line.startsWith("wrk")) {
          System.out.println(line); // the child's figures, not its logs
        }
      }
    }
    return new Run(p.waitFor(), lines);
  }

  /** The scenario's rows from the tables it printed. */
  static List<SummaryTable.Row> rowsOf(Scenario s, Run run) {
    List<List<String[]>> tables = tables(run.lines());
    List<SummaryTable.Row> out = new ArrayList<>();
    List<String> ours = new ArrayList<>();
    List<String> anchors = new ArrayList<>();
    for (List<String[]> table : tables) {
      String[] header = table.get(0);
      if (header.length == 4 && header[0].equals("scenario") && header[1].equals("our figure")) {
        for (String[] r : table.subList(1, table.size())) {
          out.add(new SummaryTable.Row(r[0], r[1], r[2], r[3]));
        }
        continue;
      }
      int figure = figureColumn(header);
      for (String[] r : table.subList(1, table.size())) {
        if (r.length <= figure) {
          continue;
        }
        // a table whose second column names the route (browse) keeps it in the label
        String label = header.length > 1 && header[1].equals("route") ? r[0] + " " + r[1] : r[0];
        String text = label + ": " + r[figure] + " " + header[figure];
        String lower = label.toLowerCase();
        if (lower.contains("anchor") || lower.contains("raw ") || lower.contains("redis") || lower.contains("same jvm")
            || lower.contains("1 jvm") || lower.contains("bare")) {
          anchors.add(text);
        } else {
          ours.add(text);
        }
      }
    }
    if (!ours.isEmpty() || !anchors.isEmpty()) {
      out.add(0, new SummaryTable.Row(s.name(), String.join("\n", ours), String.join("\n", anchors), s.goal()));
    }
    if (out.isEmpty() || run.exit() != 0) {
      out.add(new SummaryTable.Row(s.name(), "failed (exit " + run.exit() + "): " + lastError(run.lines()), "", s.goal()));
    }
    return out;
  }

  /** The column that says how fast: a rate (…/s, throughput) if there is one, else seconds. */
  private static int figureColumn(String[] header) {
    for (int i = 1; i < header.length; i++) {
      if (header[i].contains("/s") || header[i].contains("throughput")) {
        return i;
      }
    }
    for (int i = 1; i < header.length; i++) {
      if (header[i].contains("seconds")) {
        return i;
      }
    }
    return Math.min(1, header.length - 1);
  }

  /** Markdown tables in the output: header row, separator, data rows; cells trimmed. */
  static List<List<String[]>> tables(List<String> lines) {
    List<List<String[]>> tables = new ArrayList<>();
    List<String[]> current = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.startsWith("|")) {
        current = null;
        continue;
      }
      if (line.startsWith("|---")) {
        continue;
      }
      if (current == null) {
        if (i + 1 >= lines.size() || !lines.get(i + 1).trim().startsWith("|---")) {
          continue;
        }
        current = new ArrayList<>();
        tables.add(current);
      }
      String[] cells = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length()).split("(?<!\\\\)\\|");
      for (int c = 0; c < cells.length; c++) {
        cells[c] = cells[c].trim();
      }
      current.add(cells);
    }
    return tables;
  }

  private static String lastError(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("error")) {
        return lines.get(i);
      }
    }
    return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }
}
