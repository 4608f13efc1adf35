package io.slabtrack.tot.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Server seeds at rest: AES-GCM, bound to their play, unreadable with another key. */
class SeedVaultTest {

  @Test
  void sealedSeedsOpenOnlyForTheirPlayAndKey() {
    SeedVault vault = new SeedVault("k1-k1-k1-k1-k1-k1-k1-k1-k1-k1-k1-k1");
    byte[] seed = vault.newSeed();
    assertThat(seed).hasSize(32);
    String sealed = vault.seal(seed, "play-1");
    assertThat(sealed).doesNotContain(HexFormat.of().formatHex(seed));
    assertThat(HexFormat.of().formatHex(Base64.getDecoder().decode(sealed))).doesNotContain(HexFormat.of().formatHex(seed));
    assertThat(vault.open(sealed, "play-1")).isEqualTo(seed);
    assertThat(vault.seal(seed, "play-1")).as("fresh nonce each time").isNotEqualTo(sealed);
    assertThatThrownBy(() -> vault.open(sealed, "play-2")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new SeedVault("another-key-another-key-another-key").open(sealed, "play-1"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withoutAConfiguredKeyDevModeUsesTheDevKeyAndNodeModeRefusesNamingTheVariable() {
    assertThatThrownBy(() -> SeedVault.fromSettings(new Settings(Map.of()), RunMode.NODE))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TOT_SEED_KEY");
    assertThatThrownBy(() -> SeedVault.requireKey(new Settings(Map.of(SeedVault.SETTING, " ")), RunMode.NODE))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TOT_SEED_KEY");
    SeedVault dev = SeedVault.fromSettings(new Settings(Map.of()), RunMode.DEV);
    String sealed = dev.seal(new byte[32], "p");
    assertThat(new SeedVault(SeedVault.DEV_KEY).open(sealed, "p")).isEqualTo(new byte[32]);
    SeedVault configured = SeedVault.fromSettings(new Settings(Map.of(SeedVault.SETTING, "prod-secret-xyz")),
        RunMode.NODE);
    assertThatThrownBy(() -> configured.open(sealed, "p")).isInstanceOf(IllegalStateException.class);
  }
}
