package io.slabtrack.cluster.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StripeSettingsTest {

  private static StripeSettings load(RunMode mode, Map<String, String> env) {
    return StripeSettings.load(new Settings(env), mode);
  }

  @Test
  void devWithoutAKeyUsesTheSimulatorWithDevSecrets() {
    StripeSettings s = load(RunMode.DEV, Map.of());
    assertThat(s.simulator()).isTrue();
    assertThat(s.configured()).isTrue();
    assertThat(s.apiBase()).isEqualTo("http://127.0.0.1:12111");
    assertThat(s.secretKey()).contains(StripeSettings.SIMULATOR_KEY);
    assertThat(s.storefrontWebhookSecret()).contains(StripeSettings.DEV_STOREFRONT_WEBHOOK_SECRET);
    assertThat(s.fees()).isEqualTo(PlatformFees.DEFAULT);
  }

  @Test
  void devWithAKeyUsesRealStripe() {
    StripeSettings s = load(RunMode.DEV, Map.of("STRIPE_SECRET_KEY", "sk_test_abc"));
    assertThat(s.simulator()).isFalse();
    assertThat(s.apiBase()).isEqualTo(StripeSettings.REAL_API_BASE);
    assertThat(s.storefrontWebhookSecret()).isEmpty();
  }

  @Test
  void nodeModeWithoutKeyOrSimulatorIsNotConfiguredButStarts() {
    StripeSettings s = load(RunMode.NODE, Map.of());
    assertThat(s.configured()).isFalse();
    assertThat(s.simulator()).isFalse();
    assertThat(s.describe()).contains("not configured");
  }

  @Test
  void nodeModeUsesTheSimulatorOnlyWhenTold() {
    StripeSettings s = load(RunMode.NODE, Map.of("STRIPE_SIMULATOR", "true", "STRIPE_SIMULATOR_PORT", "9999",
        "TOT_STRIPE_WEBHOOK_SECRET", "whsec_custom", "PLATFORM_FEE_BPS", "250"));
    assertThat(s.configured()).isTrue();
    assertThat(s.apiBase()).isEqualTo("http://127.0.0.1:9999");
    assertThat(s.totWebhookSecret()).contains("whsec_custom");
    assertThat(s.fees().platformBps()).isEqualTo(250);
  }

  @Test
  void apiBaseOverrideWins() {
    StripeSettings s = load(RunMode.NODE, Map.of("STRIPE_SECRET_KEY", "sk_test_x", "STRIPE_API_BASE",
        "http://localhost:4000/"));
    assertThat(s.apiBase()).isEqualTo("http://localhost:4000");
  }

  @Test
  void malformedValuesAreRefusedByName() {
    assertThatThrownBy(() -> load(RunMode.NODE, Map.of("STRIPE_SECRET_KEY", "pk_test_x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("STRIPE_SECRET_KEY");
    assertThatThrownBy(() -> load(RunMode.DEV, Map.of("TOT_STRIPE_WEBHOOK_SECRET", "nope")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TOT_STRIPE_WEBHOOK_SECRET");
    assertThatThrownBy(() -> load(RunMode.DEV, Map.of("STRIPE_SECRET_KEY", "sk_live_x", "STRIPE_SIMULATOR", "true")))
        .isInstanceOf(ConfigException.class);
  }
}
