package io.slabtrack.cluster.hazelcast;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.Settings;
import java.util.Locale;
import java.util.Optional;

/**
 * How a member finds the others ({@code HZ_DISCOVERY}): {@code tcp}, the static {@code HZ_MEMBERS} list, or
 * {@code kubernetes}, Hazelcast's built-in Kubernetes discovery in DNS-lookup mode: the members are the addresses
 * a headless Service's name resolves to ({@code HZ_KUBERNETES_SERVICE_DNS}), so pods come and go without anyone
 * editing a list, and the pods need no Kubernetes API permissions.
 */
public record HazelcastDiscovery(Mode mode, Optional<String> serviceDns) {
  public enum Mode { TCP, KUBERNETES }

  public static HazelcastDiscovery load(Settings s) {
    String raw = s.string("HZ_DISCOVERY", "tcp").trim().toLowerCase(Locale.ROOT);
    Mode mode = switch (raw) {
      case "tcp" -> Mode.TCP;
      case "kubernetes" -> Mode.KUBERNETES;
      default -> throw new ConfigException("HZ_DISCOVERY must be tcp or kubernetes, got '" + raw + "'");
    };
    Optional<String> dns = s.optional("HZ_KUBERNETES_SERVICE_DNS");
    if (mode == Mode.KUBERNETES) {
      if (dns.isEmpty()) {
        throw new ConfigException("HZ_KUBERNETES_SERVICE_DNS is required with HZ_DISCOVERY=kubernetes: the DNS name "
            + "of the headless Service of the Hazelcast port, e.g. slabtrack-hazelcast.slabtrack.svc.cluster.local");
      }
      if (!dns.get().matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
        throw new ConfigException("HZ_KUBERNETES_SERVICE_DNS must be a DNS name, got '" + dns.get() + "'");
      }
    }
    return new HazelcastDiscovery(mode, dns);
  }
}
