package io.slabtrack.tot.fairness;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Golden vectors (computed outside Java) and an independent recompute of the published formulas. */
class FairnessTest {
  private static final BigDecimal QUARTER = new BigDecimal("0.25");
  static final String SEED_A = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  static final String SEED_B = "abababababababababababababababababababababababababababababababab";

  @Test
  void domainExamples() {
    assertThat(Fairness.winPrice(10_000, QUARTER)).isEqualTo(7_500);
    assertThat(Fairness.losePrice(10_000, QUARTER)).isEqualTo(12_500);
    long cart = 500 + 500 + 500; // a 3 × $5 flip cart is valued at its total
    assertThat(Fairness.winPrice(cart, QUARTER)).isEqualTo(1_125);
    assertThat(Fairness.losePrice(cart, QUARTER)).isEqualTo(1_875);
    assertThat(Fairness.pullPrice(List.of(4_000L, 5_000L, 6_000L, 3_000L, 2_000L))).isEqualTo(3_500);
  }

  @Test
  void roundingIsHalfUpOnceAtTheEnd() {
    assertThat(Fairness.winPrice(2, QUARTER)).isEqualTo(2); // 1.5 → 2
    assertThat(Fairness.losePrice(2, QUARTER)).isEqualTo(3); // 2.5 → 3
    assertThat(Fairness.winPrice(1, QUARTER)).isEqualTo(1); // 0.75 → 1
    assertThat(Fairness.losePrice(1, QUARTER)).isEqualTo(1); // 1.25 → 1
    assertThat(Fairness.winPrice(1_010, new BigDecimal("0.15"))).isEqualTo(859); // 858.5: half-up, not half-even (858)
    assertThat(Fairness.pullPrice(List.of(10L, 10L))).isEqualTo(109); // 8.5 → 9, + 100
    assertThat(Fairness.pullPrice(List.of(3L, 7L))).isEqualTo(104); // 4.25 → 4
    assertThat(Fairness.pullPrice(List.of(1_003L, 1_000L, 1_000L))).isEqualTo(951); // 850.85 → 851
    assertThat(Fairness.pullPrice(List.of(1_500L, 1_500L, 1_501L))).isEqualTo(1_375); // 1275.28 → 1275
  }

  @Test
  void goldenSeedVectors() {
    byte[] a = HexFormat.of().parseHex(SEED_A);
    assertThat(Fairness.seedHash(a)).isEqualTo("6c86c6aac5fb24bcf5d9939cb7d7d5645ce39418f449e03b262dd4fa14b4b92b");
    byte[] o1 = Fairness.outcomeBytes(a, "buyer-seed-1");
    assertThat(HexFormat.of().formatHex(o1))
        .isEqualTo("de0b61a9cef4ceb1d618626b04e4b8382aa7f12ce74509536cda257449274e75");
    assertThat(Fairness.flip(o1)).isEqualTo(Fairness.FlipOutcome.LOSE);
    assertThat(Fairness.pullWinner(o1, 5)).isEqualTo(2); // 0xde = 222
    byte[] o2 = Fairness.outcomeBytes(a, "play_3f9a");
    assertThat(HexFormat.of().formatHex(o2))
        .isEqualTo("d49efbaec69c0e8833825be5745ced0d4f912d7d8cd12b4fe38d81ab1a5f4630");
    assertThat(Fairness.flip(o2)).isEqualTo(Fairness.FlipOutcome.WIN);
    assertThat(Fairness.pullWinner(o2, 3)).isEqualTo(2);

    byte[] b = HexFormat.of().parseHex(SEED_B);
    assertThat(Fairness.seedHash(b)).isEqualTo("271a413bd339c5709fdceaec41f14f11e9fbfb5042d72d331c65f32b284cd09a");
    byte[] o3 = Fairness.outcomeBytes(b, "hello world");
    assertThat(HexFormat.of().formatHex(o3))
        .isEqualTo("6ddd803828c780001e054ba7931ea227a8e28dc0a517d14bf553f82e47d87413");
    assertThat(Fairness.flip(o3)).isEqualTo(Fairness.FlipOutcome.LOSE);
    assertThat(Fairness.pullWinner(o3, 5)).isEqualTo(4); // 0x6d = 109
    assertThat(Fairness.pullWinner(o3, 2)).isEqualTo(1);
  }

  @Test
  void theIndependentRecomputeAgreesOnRandomInputs() throws Exception {
    Random r = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      byte[] seed = new byte[32];
      r.nextBytes(seed);
      String hex = HexFormat.of().formatHex(seed);
      String client = Long.toHexString(r.nextLong()) + "é✓";
      byte[] out = Fairness.outcomeBytes(seed, client);
      assertThat(out).isEqualTo(IndependentRecompute.outcome(hex, client));
      assertThat(Fairness.seedHash(seed)).isEqualTo(IndependentRecompute.seedHash(hex));
      assertThat(Fairness.flip(out).name()).isEqualTo(IndependentRecompute.flip(out));
      int n = 2 + r.nextInt(4);
      assertThat(Fairness.pullWinner(out, n)).isEqualTo(IndependentRecompute.pullWinner(out, n));

      long value = r.nextInt(5_000_000);
      long bp = r.nextInt(5_000);
      BigDecimal spread = BigDecimal.valueOf(bp, 4);
      assertThat(Fairness.winPrice(value, spread)).isEqualTo(IndependentRecompute.winPrice(value, bp));
      assertThat(Fairness.losePrice(value, spread)).isEqualTo(IndependentRecompute.losePrice(value, bp));
      List<Long> values = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        values.add((long) r.nextInt(1_000_000));
      }
      assertThat(Fairness.pullPrice(values)).isEqualTo(IndependentRecompute.pullPrice(values));
    }
  }
}
