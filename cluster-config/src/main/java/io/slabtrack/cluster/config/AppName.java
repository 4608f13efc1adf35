package io.slabtrack.cluster.config;

import java.util.Arrays;
import java.util.Locale;

/** The three apps of the ecosystem. The lowercase id is used in addresses, DB names, JWT audiences and cookies. */
public enum AppName {
  CORE("core", 8080),
  TOT("tot", 8081),
  STOREFRONT("storefront", 8082);

  private final String id;
  private final int defaultDevPort;

  AppName(String id, int defaultDevPort) {
    this.id = id;
    this.defaultDevPort = defaultDevPort;
  }

  public String id() {
    return id;
  }

  public int defaultDevPort() {
    return defaultDevPort;
  }

  public String defaultDatabase() {
    return "slabtrack_" + id;
  }

  /** Environment prefix, e.g. {@code STOREFRONT_} for {@code STOREFRONT_PORT}. */
  public String envPrefix() {
    return id.toUpperCase(Locale.ROOT) + "_";
  }

  public static AppName parse(String raw) {
    return Arrays.stream(values())
        .filter(a -> a.id.equalsIgnoreCase(raw))
        .findFirst()
        .orElseThrow(() -> new ConfigException("unknown app '" + raw + "': expected core, tot or storefront"));
  }
}
