package io.slabtrack.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
  @TempDir
  Path dir;

  @Test
  void noFaultMeansNoRecoveryFigure() throws Exception {
    try (History h = new History(dir.resolve("h.txt"))) {
      h.add("buyer-0", "ok", "checkout", "storefront-1", 1, "o1", null, null);
      assertThat(Nemesis.recovery(h, List.of())).isEqualTo(-1);
    }
  }

  @Test
  void theLongestStretchWithoutASuccessAfterTheFaultIsTheRecoveryTime() throws Exception {
    try (History h = new History(dir.resolve("h.txt"))) {
      h.nemesis("SIGSTOP", "core-1");
      h.add("buyer-0", "ok", "checkout", "storefront-1", 1, "o1", null, null);
      h.add("buyer-1", "ok", "play", "tot-1", 2, "p1", "pi_1", null);
      Thread.sleep(300);
      h.add("buyer-0", "fail", "checkout", "storefront-1", 3, null, null, "503");
      h.add("buyer-0", "ok", "checkout", "storefront-1", 3, "o2", null, null);
      h.add("buyer-1", "ok", "play", "tot-1", 4, "p2", "pi_2", null);
      long heal = h.nemesis("SIGCONT", "core-1").atMillis();
      h.nemesis("buyers stopped", "-");
      double seconds = Nemesis.recovery(h, List.of(heal));
      assertThat(seconds).isGreaterThanOrEqualTo(0.3).isLessThan(2.0);
    }
  }

  @Test
  void aHistoryLineNamesWhatItIsAbout() throws Exception {
    try (History h = new History(dir.resolve("h.txt"))) {
      h.add("buyer-0", "ok", "checkout", "storefront-1", 7, "o7", null, null);
      h.add("buyer-0", "ok", "pay", "stripe", 7, "o7", "pi_7", null);
      h.add("buyer-1", "ok", "play", "tot-1", 8, "p8", "pi_8", null);
      assertThat(h.about(null, "pi_7", -1)).hasSize(1);
      assertThat(h.about("o7", null, -1)).hasSize(2);
      assertThat(h.about(null, null, 8)).extracting(History.Line::ref).containsExactly("p8");
    }
  }
}
