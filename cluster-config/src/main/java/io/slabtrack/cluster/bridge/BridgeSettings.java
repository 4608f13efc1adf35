package io.slabtrack.cluster.bridge;

import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import java.util.OptionalInt;

/**
 * The TCP bridge's settings (README, configuration): {@code EVENTBUS_BRIDGE_PORT} (dev: 7000 unless set, or a free
 * port if 7000 is taken; node mode: off unless set; {@code off} turns it off, {@code 0} takes any free port), {@code EVENTBUS_BRIDGE_HOST}
 * (default {@code BIND_HOST}), {@code EVENTBUS_BRIDGE_RATE} (frames a second per connection, bursts of twice
 * that; default 100) and {@code EVENTBUS_BRIDGE_MAX_FRAME} (bytes; default 65536).
 */
public record BridgeSettings(OptionalInt port, String host, int framesPerSecond, int maxFrameBytes,
                             boolean anyPortIfBusy) {
  public BridgeSettings(OptionalInt port, String host, int framesPerSecond, int maxFrameBytes) {
    this(port, host, framesPerSecond, maxFrameBytes, false);
  }

  public static final int DEV_PORT = 7000;

  public static BridgeSettings load(Settings settings, RunMode mode, String bindHost) {
    String raw = settings.optional("EVENTBUS_BRIDGE_PORT").map(String::trim).orElse(null);
    OptionalInt port;
    if (raw == null) {
      port = mode == RunMode.DEV ? OptionalInt.of(DEV_PORT) : OptionalInt.empty();
    } else if (raw.equalsIgnoreCase("off")) {
      port = OptionalInt.empty();
    } else {
      port = OptionalInt.of(settings.integer("EVENTBUS_BRIDGE_PORT", DEV_PORT, 0, 65535));
    }
    // dev mode's default port may be taken by another dev JVM: like HZ_PORT, it then takes a free one
    return new BridgeSettings(port, settings.string("EVENTBUS_BRIDGE_HOST", bindHost),
        settings.integer("EVENTBUS_BRIDGE_RATE", 100, 1, 100_000),
        settings.integer("EVENTBUS_BRIDGE_MAX_FRAME", 65_536, 256, 16 * 1024 * 1024),
        raw == null && mode == RunMode.DEV);
  }
}
