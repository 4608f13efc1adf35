package io.slabtrack.cluster.config;

/** Bad or missing configuration: the message names the variable, and the process exits non-zero with it. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
