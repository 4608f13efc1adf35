package io.slabtrack.cluster.web;

import gg.jte.Content;
import io.slabtrack.cluster.browse.BrowseCache;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A page rendered once for every buyer (the browse cache holds it per version), cut where a request's own parts go:
 * the header with the buyer's cart, a tile the buyer picked, the address the page was asked by. Those parts are
 * never in the shared bytes, so one buyer's cart can't reach another. While the page renders, each hole is marked by
 * a token of lowercase letters and digits — no escaping changes it, and its prefix is random per JVM, so text a buyer
 * types can't forge one — and the page is cut at the tokens. A request then writes the fixed parts, UTF-8 encoded
 * once, with its own parts in between: no rendering, escaping or encoding of the shared parts per request.
 */
public final class SharedPage implements BrowseCache.Weighed {
  private static final String PREFIX = prefix();

  private final byte[][] fixed;
  private final Object[] holes;
  private final int weight;

  private SharedPage(byte[][] fixed, Object[] holes, int weight) {
    this.fixed = fixed;
    this.holes = holes;
    this.weight = weight;
  }

  /** What a request writes where a hole was marked. */
  @FunctionalInterface
  public interface Filler {
    void fill(Object hole, Buffer out);
  }

  /** The holes of one page being rendered: mark them, render, then {@link #cut} the result. */
  public static final class Marks {
    private final List<Object> holes = new ArrayList<>();

    /** A token standing for {@code hole} (any object the filler knows) wherever the page writes it. */
    public String mark(Object hole) {
      holes.add(hole);
      return PREFIX + (holes.size() - 1) + "z";
    }

    /** The same token as template content. */
    public Content content(Object hole) {
      String token = mark(hole);
      return output -> output.writeContent(token);
    }

    /** The rendered page cut at its tokens (each may appear any number of times). */
    public SharedPage cut(String html) {
      List<byte[]> fixed = new ArrayList<>();
      List<Object> found = new ArrayList<>();
      int weight = 0;
      int from = 0;
      int at;
      while ((at = html.indexOf(PREFIX, from)) >= 0) {
        int end = at + PREFIX.length();
        int digits = end;
        while (digits < html.length() && Character.isDigit(html.charAt(digits))) {
          digits++;
        }
        if (digits == end || digits >= html.length() || html.charAt(digits) != 'z') {
          throw new IllegalStateException("a broken hole mark in a rendered page");
        }
        byte[] before = html.substring(from, at).getBytes(StandardCharsets.UTF_8);
        fixed.add(before);
        weight += before.length;
        Object hole = holes.get(Integer.parseInt(html, end, digits, 10));
        found.add(hole);
        weight += 16 + (hole instanceof BrowseCache.Weighed w ? w.weight() : 64);
        from = digits + 1;
      }
      byte[] rest = html.substring(from).getBytes(StandardCharsets.UTF_8);
      fixed.add(rest);
      weight += rest.length;
      return new SharedPage(fixed.toArray(new byte[0][]), found.toArray(), weight);
    }
  }

  /** The page for one request: the fixed parts, and {@code filler}'s writing in each hole. */
  public Buffer fill(Filler filler) {
    Buffer out = Buffer.buffer(weight + 1024);
    write(out, filler);
    return out;
  }

  /** Appends the page to {@code out} (a page nested in a hole of another). */
  public void write(Buffer out, Filler filler) {
    for (int i = 0; i < holes.length; i++) {
      out.appendBytes(fixed[i]);
      filler.fill(holes[i], out);
    }
    out.appendBytes(fixed[holes.length]);
  }

  /** The holes, in the order the page has them. */
  public List<Object> holes() {
    return List.of(holes);
  }

  @Override
  public int weight() {
    return weight;
  }

  private static String prefix() {
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder("hole");
    for (int i = 0; i < 20; i++) {
      b.append(Character.forDigit(random.nextInt(36), 36));
    }
    // the digits that follow must start after a letter
    return b.append('h').toString();
  }
}
