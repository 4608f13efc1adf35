package io.slabtrack.cluster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check the satellites' fixtures run on every answer: it fails only where the document gives a schema. */
class ResponseContractTest {
  private static final ResponseContract CONTRACT = ResponseContract.of("openapi/response-contract-test.json");
  private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

  @Test
  void aBodyThatMatchesPasses() {
    assertThatCode(() -> CONTRACT.check("GET", "/api/things/1?x=y", 200, JSON, "{\"id\":1,\"name\":null,\"extra\":2}"))
        .doesNotThrowAnyException();
  }

  @Test
  void aBodyThatBreaksTheSchemaFailsNamingTheCall() {
    assertThatThrownBy(() -> CONTRACT.check("get", "/api/things/7", 200, JSON, "{\"id\":\"seven\"}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET /api/things/7 answered 200")
        .hasMessageContaining("getThing")
        .hasMessageContaining("name");
  }

  @Test
  void charsetParametersDoNotHideTheBody() {
    assertThatThrownBy(() -> CONTRACT.check("GET", "/api/things/7", 200,
        Map.of("content-type", List.of("application/json; charset=utf-8")), "{}"))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void whatTheDocumentLeavesWithoutASchemaPasses() {
    assertThat(List.of(
        call("GET", "/api/things/7", 404, JSON, "{\"whatever\":true}"),
        call("GET", "/api/plain", 200, JSON, "[1,2]"),
        call("GET", "/api/undocumented", 200, JSON, "{}"),
        call("DELETE", "/api/things/7", 200, JSON, "{}"),
        call("GET", "/api/things/7", 200, Map.of("Content-Type", List.of("text/html")), "<p>hi</p>")))
        .containsOnly("passed");
  }

  private static String call(String method, String path, int status, Map<String, List<String>> headers, String body) {
    CONTRACT.check(method, path, status, headers, body);
    return "passed";
  }
}
