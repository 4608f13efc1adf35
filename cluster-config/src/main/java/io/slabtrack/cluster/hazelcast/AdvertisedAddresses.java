package io.slabtrack.cluster.hazelcast;

import com.hazelcast.config.NetworkConfig;
import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.eventbus.EventBusOptions;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where the other members reach this node, when that is not where it listens (NAT, a port-forward, a proxy in
 * between): {@code HZ_PUBLIC_ADDRESS} ({@code host:port}, Hazelcast's public address: the member's identity, so
 * the other members list it in {@code HZ_MEMBERS}), {@code EVENTBUS_PUBLIC_HOST} (default {@code BIND_HOST}) and
 * {@code EVENTBUS_PUBLIC_PORT} (default the bus's own port). Unset, a node advertises where it listens, as before.
 */
public record AdvertisedAddresses(Optional<String> hazelcast, String busHost, OptionalInt busPort) {
  public static final String HZ_PUBLIC_ADDRESS = "HZ_PUBLIC_ADDRESS";
  public static final String EVENTBUS_PUBLIC_HOST = "EVENTBUS_PUBLIC_HOST";
  public static final String EVENTBUS_PUBLIC_PORT = "EVENTBUS_PUBLIC_PORT";
  private static final String HOST = "[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\]";

  public static AdvertisedAddresses load(Settings s, String bindHost) {
    Optional<String> hz = s.optional(HZ_PUBLIC_ADDRESS).map(String::trim);
    hz.ifPresent(AdvertisedAddresses::requireHostPort);
    String busHost = s.string(EVENTBUS_PUBLIC_HOST, bindHost).trim();
    if (!busHost.matches(HOST)) {
      throw new ConfigException(EVENTBUS_PUBLIC_HOST + " must be a host name or address, got '" + busHost + "'");
    }
    OptionalInt busPort = s.isSet(EVENTBUS_PUBLIC_PORT)
        ? OptionalInt.of(s.integer(EVENTBUS_PUBLIC_PORT, 0, 1, 65535)) : OptionalInt.empty();
    return new AdvertisedAddresses(hz, busHost, busPort);
  }

  private static void requireHostPort(String value) {
    int colon = value.lastIndexOf(':');
    boolean ok = colon > 0 && value.substring(0, colon).matches(HOST) && value.substring(colon + 1).matches("\\d{1,5}")
        && Integer.parseInt(value.substring(colon + 1)) >= 1 && Integer.parseInt(value.substring(colon + 1)) <= 65535;
    if (!ok) {
      throw new ConfigException(HZ_PUBLIC_ADDRESS + " must be host:port (the port the other members connect to), got '"
          + value + "'");
    }
  }

  /** Hazelcast's public address; none leaves the member known by its bind address. */
  public void applyTo(NetworkConfig net) {
    net.setPublicAddress(hazelcast.orElse(null));
  }

  /** The host and port the other nodes' event buses connect to (the bus still listens on its own host and port). */
  public EventBusOptions applyTo(EventBusOptions bus) {
    bus.setClusterPublicHost(busHost);
    busPort.ifPresent(bus::setClusterPublicPort);
    return bus;
  }
}
