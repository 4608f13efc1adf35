package io.slabtrack.cluster.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlatformFeesTest {
  private final PlatformFees fees = PlatformFees.DEFAULT;

  @Test
  void onAHundredDollarsTheSellerNetsNinetyThreeEighty() {
    assertThat(fees.platformCents(10_000)).isEqualTo(300);
    assertThat(fees.stripeEstimateCents(10_000)).isEqualTo(320);
    assertThat(fees.applicationFeeCents(10_000)).isEqualTo(620);
    assertThat(fees.sellerNetCents(10_000)).isEqualTo(9_380);
  }

  @Test
  void eachPartRoundsHalfUpOnItsOwn() {
    // $12.50: 3% = 37.5 → 38; 2.9% = 36.25 → 36, + 30
    assertThat(fees.applicationFeeCents(1_250)).isEqualTo(38 + 36 + 30);
    // $0.50: 1.5 → 2; 1.45 → 1, + 30
    assertThat(fees.applicationFeeCents(50)).isEqualTo(2 + 1 + 30);
  }

  @Test
  void theFeeNeverExceedsTheCharge() {
    assertThat(fees.applicationFeeCents(20)).isEqualTo(20);
    assertThat(fees.applicationFeeCents(0)).isZero();
  }

  @Test
  void ratesAreConfigurable() {
    PlatformFees custom = new PlatformFees(500, 0, 0);
    assertThat(custom.applicationFeeCents(10_000)).isEqualTo(500);
    assertThatThrownBy(() -> fees.applicationFeeCents(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
