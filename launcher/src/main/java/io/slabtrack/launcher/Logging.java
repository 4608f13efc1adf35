package io.slabtrack.launcher;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** Routes java.util.logging (used by some Vert.x and Hazelcast paths) into SLF4J/logback, once, at startup. */
final class Logging {
  private Logging() {
  }

  static void install() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.setProperty("hazelcast.logging.type", "slf4j");
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
  }
}
