package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.nemesis.Nemesis;
import io.slabtrack.nemesis.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short fault-injection run CI affords: six node JVMs of its own (not the shared fixture), buyers racing for
 * hot cards on both satellites for 90 s while a core node and a Storefront node are killed with -9 and restarted,
 * then the checker over the history, the three databases and the Stripe simulator's ledger. The full set of
 * scenarios runs on demand: {@code java -jar launcher/target/slabtrack.jar nemesis --scenario all}.
 */
class NemesisCrashIT {

  @Test
  @Timeout(value = 25, unit = TimeUnit.MINUTES) // six JVMs formed, crashed and restarted on a busy CI machine
  void killingACoreAndAStorefrontNodeUnderLoadSellsNoCardTwiceAndLosesNoPayment() throws Exception {
    Nemesis.Options options = new Nemesis.Options(NodeProcess.jar(), Path.of("target", "nemesis"),
        Duration.ofSeconds(90), Duration.ofSeconds(30), false);
    Nemesis.Row row = Nemesis.run(Scenario.CRASH, options, System.out);
    System.out.println(Nemesis.table(List.of(row)));
    assertThat(row.verdict().sales()).as("the run sold cards at all").isPositive();
    assertThat(row.verdict().doubleSales()).as(String.join("\n", row.verdict().violations())).isZero();
    assertThat(row.verdict().lostPayments()).as(String.join("\n", row.verdict().violations())).isZero();
    assertThat(row.verdict().unresolved()).as(String.join("\n", row.verdict().violations())).isZero();
  }
}
