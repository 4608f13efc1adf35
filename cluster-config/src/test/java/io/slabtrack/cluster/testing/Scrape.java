package io.slabtrack.cluster.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code GET /metrics} answer, parsed just enough for tests: sample lines as name, labels and value.
 * <pre>
 *   Scrape s = Scrape.parse(body);
 *   s.sum("slabtrack_purchases_started_total", "app", "storefront", "outcome", "created")
 * </pre>
 */
public final class Scrape {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples;

  private Scrape(List<Sample> samples) {
    this.samples = samples;
  }

  public static Scrape parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.find()) {
        throw new IllegalArgumentException("not a Prometheus sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return new Scrape(out);
  }

  /** The sum of every sample of {@code name} carrying these labels (pairs: name, value, …); 0 when none. */
  public double sum(String name, String... labelPairs) {
    return samples.stream().filter(s -> s.name().equals(name) && has(s, labelPairs)).mapToDouble(Sample::value).sum();
  }

  /** True when some sample of {@code name} carries these labels. */
  public boolean has(String name, String... labelPairs) {
    return samples.stream().anyMatch(s -> s.name().equals(name) && has(s, labelPairs));
  }

  /** Every metric name sampled. */
  public Set<String> names() {
    Set<String> out = new TreeSet<>();
    samples.forEach(s -> out.add(s.name()));
    return out;
  }

  private static boolean has(Sample s, String... labelPairs) {
    for (int i = 0; i + 1 < labelPairs.length; i += 2) {
      if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
