package io.slabtrack.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LOG_FORMAT: json for nodes (a collector reads them), text at a terminal, and a typo stops the start. */
class LogFormatTest {
  @Test
  void nodeModeDefaultsToJsonAndEverythingElseToText() {
    assertThat(Logging.format(Map.of(), new String[] {"node", "--app", "core"})).isEqualTo("json");
    assertThat(Logging.format(Map.of(), new String[] {"dev"})).isEqualTo("text");
    assertThat(Logging.format(Map.of(), new String[] {"migrate"})).isEqualTo("text");
    assertThat(Logging.format(Map.of(), new String[0])).isEqualTo("text");
  }

  @Test
  void anExplicitFormatWinsAndABadOneNamesTheVariable() {
    assertThat(Logging.format(Map.of("LOG_FORMAT", "text"), new String[] {"node"})).isEqualTo("text");
    assertThat(Logging.format(Map.of("LOG_FORMAT", " JSON "), new String[] {"dev"})).isEqualTo("json");
    assertThatThrownBy(() -> Logging.format(Map.of("LOG_FORMAT", "logfmt"), new String[] {"node"}))
        .isInstanceOf(ConfigException.class).hasMessage("LOG_FORMAT must be json or text, got 'logfmt'");
  }
}
