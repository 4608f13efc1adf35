package io.slabtrack.nemesis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recorded history of a run, Jepsen style: one line per operation step, {@code invoke} before the request,
 * then {@code ok} (it happened), {@code fail} (it certainly did not) or {@code info} (unknown: timed out, no answer).
 * Lines are kept in memory for the checker and appended to a file as they come, so a crashed run still has them.
 */
public final class History implements AutoCloseable {
  /** One step of one operation. {@code ref} is the order or play id, {@code pi} the PaymentIntent id, when known. */
  public record Line(long seq, long atMillis, String process, String type, String op, String node, long card,
                     String ref, String pi, String detail) {
    @Override
    public String toString() {
      return String.format("%6d %8.3fs %-10s %-6s %-10s %-14s card=%-6s ref=%s pi=%s %s", seq, atMillis / 1000.0,
          process, type, op, node, card < 0 ? "-" : String.valueOf(card), ref == null ? "-" : ref,
          pi == null ? "-" : pi, detail == null ? "" : detail);
    }

    /** Whether this line is about the given order/play id, PaymentIntent or card (null/negative: not asked). */
    public boolean mentions(String anyRef, String anyPi, long anyCard) {
      return (anyRef != null && anyRef.equals(ref)) || (anyPi != null && anyPi.equals(pi))
          || (anyCard >= 0 && anyCard == card);
    }
  }

  private final long startNanos = System.nanoTime();
  private final AtomicLong seq = new AtomicLong();
  private final List<Line> lines = new ArrayList<>();
  private final Writer out;

  public History(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long nowMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  public Line add(String process, String type, String op, String node, long card, String ref, String pi,
                  String detail) {
    Line line = new Line(seq.incrementAndGet(), nowMillis(), process, type, op, node, card, ref, pi,
        detail == null ? null : detail.replace('\n', ' '));
    synchronized (lines) {
      lines.add(line);
      try {
        out.write(line.toString());
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        // the in-memory history is what the checker reads; the file is a convenience
      }
    }
    return line;
  }

  /** A nemesis step (fault started or healed), so a violation can be read against what was broken at the time. */
  public Line nemesis(String what, String node) {
    return add("nemesis", "info", what, node, -1, null, null, null);
  }

  public List<Line> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The lines that mention any of the given ids or card, nemesis lines excluded. */
  public List<Line> about(String ref, String pi, long card) {
    return lines().stream().filter(l -> !l.process().equals("nemesis") && l.mentions(ref, pi, card)).toList();
  }

  @Override
  public void close() throws IOException {
    synchronized (lines) {
      out.close();
    }
  }
}
