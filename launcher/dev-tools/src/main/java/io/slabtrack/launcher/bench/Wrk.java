package io.slabtrack.launcher.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bare-route anchor, measured with a real load generator: Debian's {@code wrk} (the in-JVM clients top out far
 * below what a bare Vert.x route serves: 658 req/s against wrk's 42k on the same route). Missing wrk is installed
 * with apt-get when this runs as root; otherwise the anchor says how to install it instead of a made-up figure.
 */
final class Wrk {
  static final String INSTALL_HINT = "wrk not found: install it (Debian/Ubuntu: sudo apt-get install -y wrk)";
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern P99 = Pattern.compile("^\\s*99(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern P50 = Pattern.compile("^\\s*50(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

  /** requests/s and latency percentiles in ms; {@code non2xx} counts answers other than 2xx/3xx (a 404 anchor has all). */
  record Result(double requestsPerSecond, double p50Ms, double p99Ms, long non2xx, int connections, int seconds) {
    String describe() {
      return String.format("%,.0f req/s, p50 %.1f ms, p99 %.1f ms (wrk, %d connections, %d s)", requestsPerSecond,
          p50Ms, p99Ms, connections, seconds);
    }
  }

  private Wrk() {
  }

  /** The wrk binary, installing Debian's package first when missing and this process is root. */
  static Optional<String> binary() {
    for (String candidate : List.of("/usr/bin/wrk", "/usr/local/bin/wrk")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Optional.of(candidate);
      }
    }
    if ("root".equals(System.getProperty("user.name"))) {
      try {
        System.out.println("wrk missing: apt-get install -y wrk");
        new ProcessBuilder("sh", "-c", "apt-get install -y wrk || (apt-get update && apt-get install -y wrk)")
            .inheritIO().start().waitFor();
      } catch (Exception e) {
        System.out.println("apt-get failed: " + e);
      }
      if (Files.isExecutable(Path.of("/usr/bin/wrk"))) {
        return Optional.of("/usr/bin/wrk");
      }
    }
    System.out.println(INSTALL_HINT);
    return Optional.empty();
  }

  /** Runs wrk against {@code url}; empty when wrk is not available. */
  static Optional<Result> run(String url, int connections, int seconds) throws Exception {
    Optional<String> wrk = binary();
    if (wrk.isEmpty()) {
      return Optional.empty();
    }
    Process p = new ProcessBuilder(wrk.get(), "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", url)
        .redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      r.lines().forEach(l -> out.append(l).append('\n'));
    }
    p.waitFor();
    return Optional.of(parse(out.toString(), connections, seconds));
  }

  static Result parse(String output, int connections, int seconds) {
    Matcher rps = RPS.matcher(output);
    if (!rps.find()) {
      throw new IllegalStateException("wrk printed no Requests/sec:\n" + output);
    }
    Matcher non = NON_2XX.matcher(output);
    return new Result(Double.parseDouble(rps.group(1)), millis(P50, output), millis(P99, output),
        non.find() ? Long.parseLong(non.group(1)) : 0, connections, seconds);
  }

  private static double millis(Pattern p, String output) {
    Matcher m = p.matcher(output);
    if (!m.find()) {
      return Double.NaN;
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }
}
