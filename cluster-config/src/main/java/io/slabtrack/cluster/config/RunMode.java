package io.slabtrack.cluster.config;

/** Dev = all three apps in one JVM on a cluster of one; node = one app per JVM joining a real cluster. */
public enum RunMode {
  DEV,
  NODE
}
