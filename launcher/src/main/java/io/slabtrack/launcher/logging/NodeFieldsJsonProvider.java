package io.slabtrack.launcher.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.logging.LogIdentity;
import java.io.IOException;
import java.util.Map;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Adds to each JSON log line the app and node id, and the sale's correlation ids of the Vert.x context the line is
 * written from ({@link Correlation}: Vert.x has no thread-local MDC across async hops). The appender is synchronous,
 * so the writing thread is the logging one and its current context is the right one.
 */
public final class NodeFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    String app = LogIdentity.app();
    if (app != null) {
      generator.writeStringField("app", app);
    }
    String node = LogIdentity.node();
    if (node != null) {
      generator.writeStringField("node", node);
    }
    Map<String, String> mdc = event.getMDCPropertyMap();
    for (Map.Entry<String, String> id : Correlation.current().entrySet()) {
      if (mdc == null || !mdc.containsKey(id.getKey())) { // the MDC provider writes those already
        generator.writeStringField(id.getKey(), id.getValue());
      }
    }
  }
}
