package io.slabtrack.launcher.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.shipping.ShippoSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevShippoSimulatorTest {

  @Test
  void devSettingsDeliverTrackingToBothSatellitesWithTheDevToken() {
    ShippoSettings dev = ShippoSettings.load(new Settings(Map.of()), RunMode.DEV);
    assertThat(DevShippoSimulator.options(dev, "http://s", "http://t").getJsonArray("webhooks")).containsExactly(
        "http://s/api/shipping/webhook?token=shippo_dev_webhook", "http://t/api/shipping/webhook?token=shippo_dev_webhook");
  }
}
