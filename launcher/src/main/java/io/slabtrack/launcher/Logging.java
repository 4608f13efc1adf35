package io.slabtrack.launcher;

import io.slabtrack.cluster.config.ConfigException;
import java.util.Locale;
import java.util.Map;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Chooses the log format before logback starts, then routes java.util.logging (used by some Vert.x and Hazelcast
 * paths) into SLF4J/logback, once, at startup.
 */
final class Logging {
  /** System property logback.xml reads to pick its appender. */
  static final String FORMAT_PROPERTY = "slabtrack.log.format";

  private Logging() {
  }

  /**
   * {@code LOG_FORMAT=json|text}; without it, json for {@code node} (a log collector reads it) and text for
   * everything a person runs at a terminal (dev, migrate, bench).
   */
  static String format(Map<String, String> env, String[] args) {
    String raw = env.get("LOG_FORMAT");
    if (raw == null || raw.isBlank()) {
      return args.length > 0 && args[0].equals("node") ? "json" : "text";
    }
    String format = raw.trim().toLowerCase(Locale.ROOT);
    if (!format.equals("json") && !format.equals("text")) {
      throw new ConfigException("LOG_FORMAT must be json or text, got '" + raw + "'");
    }
    return format;
  }

  static void install(String[] args) {
    System.setProperty(FORMAT_PROPERTY, format(System.getenv(), args));
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.setProperty("hazelcast.logging.type", "slf4j");
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
  }
}
