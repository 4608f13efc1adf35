package io.slabtrack.cluster.config;

import io.slabtrack.cluster.hazelcast.AdvertisedAddresses;
import io.slabtrack.cluster.hazelcast.HazelcastDiscovery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a JVM needs to know to start, read once from the environment. See the configuration table in
 * README.md: every variable read here is listed there with its default. Features read their own variables
 * (mail, login limits…) from {@link #settings()}, so tests can hand them in the same way as the rest.
 */
public record NodeConfig(
    RunMode mode,
    PgSettings pgServer,
    Map<AppName, String> databases,
    String jwtSecret,
    Optional<String> jwtSecretPrevious,
    boolean usingDevJwtSecret,
    String clusterName,
    String bindHost,
    String httpHost,
    int hazelcastPort,
    List<String> hazelcastMembers,
    int minClusterMembers,
    Map<AppName, Integer> httpPorts,
    long outboxPollMillis,
    SaleLockSettings saleLocks,
    Settings settings) {

  /** Fixed, public, dev-only secret: dev mode says so loudly when it falls back to it. */
  public static final String DEV_JWT_SECRET = "slabtrack-dev-only-secret-do-not-use-in-production!";
  public static final int MIN_SECRET_BYTES = 32;
  /**
   * Hazelcast OSS has no member authentication: the cluster name is the only thing a joining member must know, so
   * node mode treats it as a shared secret (never the public default {@code slabtrack}, never logged).
   */
  public static final int MIN_CLUSTER_NAME_CHARS = 16;
  /** Where dev mode's HTTP listens while it signs tokens with the public dev secret. */
  public static final String DEV_SECRET_HTTP_HOST = "127.0.0.1";

  public static NodeConfig load(Settings s, RunMode mode, Optional<AppName> nodeApp) {
    PgSettings pg = new PgSettings(
        s.string("PG_HOST", "127.0.0.1"),
        s.integer("PG_PORT", 5432, 1, 65535),
        s.string("PG_USER", "postgres"),
        s.string("PG_PASSWORD", ""),
        "postgres");
    Map<AppName, String> dbs = new EnumMap<>(AppName.class);
    for (AppName app : AppName.values()) {
      String name = s.string(app.envPrefix() + "DB", app.defaultDatabase());
      if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
        throw new ConfigException(app.envPrefix() + "DB must be a lowercase PostgreSQL identifier, got '" + name + "'");
      }
      dbs.put(app, name);
    }

    Optional<String> secret = s.optional("JWT_SECRET");
    boolean devSecret = false;
    String jwtSecret;
    if (secret.isPresent()) {
      jwtSecret = requireLongSecret("JWT_SECRET", secret.get());
    } else if (mode == RunMode.DEV) {
      jwtSecret = DEV_JWT_SECRET;
      devSecret = true;
    } else {
      throw new ConfigException("JWT_SECRET is required in node mode (at least " + MIN_SECRET_BYTES + " bytes)");
    }
    Optional<String> previous = s.optional("JWT_SECRET_PREVIOUS").map(p -> requireLongSecret("JWT_SECRET_PREVIOUS", p));

    int hzPort = s.integer("HZ_PORT", 5701, 1, 65535);
    String bindHost = s.string("BIND_HOST", "127.0.0.1");
    List<String> members = parseMembers(s.string("HZ_MEMBERS", bindHost + ":" + hzPort));
    HazelcastDiscovery discovery = HazelcastDiscovery.load(s);
    AdvertisedAddresses.load(s, bindHost); // a malformed public address stops startup here, before anything joins
    // an explicit HZ_MIN_MEMBERS wins; the static list's majority is only a default for TCP-IP, and a node found
    // through Kubernetes has no list to count: there the operator must say how many members a safe cluster has
    if (mode == RunMode.NODE && discovery.mode() == HazelcastDiscovery.Mode.KUBERNETES && !s.isSet("HZ_MIN_MEMBERS")) {
      throw new ConfigException("HZ_MIN_MEMBERS is required with HZ_DISCOVERY=kubernetes: the split-brain minimum, "
          + "a majority of all the nodes of every app (e.g. 3 of 4)");
    }
    int defaultMin = mode == RunMode.DEV ? 1 : members.size() / 2 + 1;
    int minMembers = s.integer("HZ_MIN_MEMBERS", defaultMin, 1, 1000);

    Map<AppName, Integer> ports = new EnumMap<>(AppName.class);
    for (AppName app : AppName.values()) {
      ports.put(app, s.integer(app.envPrefix() + "PORT", app.defaultDevPort(), 0, 65535));
    }
    if (mode == RunMode.NODE) {
      AppName app = nodeApp.orElseThrow(() -> new ConfigException("node mode needs --app core|tot|storefront"));
      ports.put(app, s.integer("HTTP_PORT", app.defaultDevPort(), 0, 65535));
    }

    // with the public dev secret anyone who reaches the port can mint an operator token: loopback unless told
    String httpHost = s.string("HTTP_HOST", devSecret ? DEV_SECRET_HTTP_HOST : "0.0.0.0");

    return new NodeConfig(mode, pg, Map.copyOf(dbs), jwtSecret, previous, devSecret, clusterName(s, mode),
        bindHost, httpHost, hzPort, members, minMembers, Map.copyOf(ports),
        s.integer("OUTBOX_POLL_MS", 1000, 50, 600_000), SaleLockSettings.load(s), s);
  }

  /**
   * True when this node signs with the public dev secret and was told to listen beyond loopback: whoever reaches
   * the address can mint an operator token. Dev mode says so loudly.
   */
  public boolean exposesDevSecret() {
    return usingDevJwtSecret && settings.isSet("HTTP_HOST") && !isLoopback(httpHost);
  }

  /** Secrets stay out of anything that prints a config (logs, exception messages). */
  @Override
  public String toString() {
    return "NodeConfig[mode=" + mode + ", pgServer=" + pgServer.host() + ":" + pgServer.port() + ", databases="
        + databases + ", bindHost=" + bindHost + ", httpHost=" + httpHost + ", hazelcastPort=" + hazelcastPort
        + ", hazelcastMembers=" + hazelcastMembers + ", minClusterMembers=" + minClusterMembers + ", httpPorts="
        + httpPorts + "]";
  }

  private static String clusterName(Settings s, RunMode mode) {
    Optional<String> name = s.optional("HZ_CLUSTER_NAME");
    if (mode == RunMode.DEV) {
      // dev mode is a cluster of one: a second dev JVM on the machine must not join the first one
      return name.orElse("slabtrack-dev-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    }
    // the messages never echo the value: it is a secret
    if (name.isEmpty()) {
      throw new ConfigException("HZ_CLUSTER_NAME is required in node mode: a shared secret of at least "
          + MIN_CLUSTER_NAME_CHARS + " characters, the same on every node (Hazelcast lets in any member that knows it)");
    }
    if (name.get().length() < MIN_CLUSTER_NAME_CHARS) {
      throw new ConfigException("HZ_CLUSTER_NAME must be at least " + MIN_CLUSTER_NAME_CHARS
          + " characters: it is the cluster's shared secret");
    }
    return name.get();
  }

  private static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  public PgSettings database(AppName app) {
    return pgServer.withDatabase(databases.get(app));
  }

  public int httpPort(AppName app) {
    return httpPorts.get(app);
  }

  public NodeConfig withPgServer(PgSettings server) {
    return new NodeConfig(mode, server, databases, jwtSecret, jwtSecretPrevious, usingDevJwtSecret, clusterName,
        bindHost, httpHost, hazelcastPort, hazelcastMembers, minClusterMembers, httpPorts, outboxPollMillis,
        saleLocks, settings);
  }

  private static String requireLongSecret(String name, String value) {
    if (value.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new ConfigException(name + " must be at least " + MIN_SECRET_BYTES + " bytes long");
    }
    return value;
  }

  private static List<String> parseMembers(String raw) {
    List<String> out = new ArrayList<>();
    for (String part : raw.split(",")) {
      String m = part.trim();
      if (m.isEmpty()) {
        continue;
      }
      if (!m.matches("[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?")) {
        throw new ConfigException("HZ_MEMBERS must be a comma-separated list of host[:port], got '" + m + "'");
      }
      out.add(m);
    }
    if (out.isEmpty()) {
      throw new ConfigException("HZ_MEMBERS must list at least one member");
    }
    return List.copyOf(out);
  }
}
