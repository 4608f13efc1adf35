package io.slabtrack.launcher.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.slabtrack.cluster.logging.Correlation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code %ids} of the text format: the line's correlation ids (the Vert.x context's and the MDC's) as
 * {@code " [claimId=… requestId=…]"}, nothing when there are none, so a grep for one claim id works in text too.
 */
public final class CorrelationConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    Map<String, String> ids = new LinkedHashMap<>(Correlation.current());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      ids.putAll(mdc);
    }
    if (ids.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(" [");
    ids.forEach((k, v) -> out.append(out.length() > 2 ? " " : "").append(k).append('=').append(v));
    return out.append(']').toString();
  }
}
