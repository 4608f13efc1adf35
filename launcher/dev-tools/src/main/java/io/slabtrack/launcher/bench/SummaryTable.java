package io.slabtrack.launcher.bench;

import java.util.List;

/**
 * The one table {@code bench all} prints and the README quotes: scenario | our figure | anchor measured in the same
 * run | goal. A scenario that prints its own rows in this shape (header included) has them copied as they are.
 */
final class SummaryTable {
  static final String HEADER = "| scenario | our figure | anchor, same run | goal |";

  record Row(String scenario, String ours, String anchor, String goal) {
    String markdown() {
      return "| " + cell(scenario) + " | " + cell(ours) + " | " + cell(anchor) + " | " + cell(goal) + " |";
    }

    private static String cell(String s) {
      return s == null || s.isBlank() ? "–" : s.replace("|", "\\|").replace("\n", "<br>");
    }
  }

  private SummaryTable() {
  }

  static void print(String title, List<Row> rows) {
    System.out.println();
    System.out.println("### " + title);
    System.out.println(HEADER);
    System.out.println("|---|---|---|---|");
    rows.forEach(r -> System.out.println(r.markdown()));
    System.out.flush();
  }
}
