package io.slabtrack.cluster.web;

import static org.assertj.core.api.Assertions.assertThat;

import gg.jte.html.escape.Escape;
import gg.jte.output.StringOutput;
import io.slabtrack.cluster.browse.BrowseCache;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A page rendered once for every buyer and cut at each request's own parts; money without a NumberFormat per call. */
class SharedPageTest {

  private static String escapedAttribute(String s) {
    StringOutput out = new StringOutput();
    Escape.htmlAttribute(s, out);
    return out.toString();
  }

  @Test
  void holesSurviveEscapingAndEachRequestWritesOnlyItsOwnParts() {
    SharedPage.Marks marks = new SharedPage.Marks();
    String cart = marks.mark("cart");
    String back = marks.mark("back");
    // as a template writes them: a mark inside an escaped attribute and in text, one of them twice
    String html = "<p>Cart " + cart + "</p><input value=\"" + escapedAttribute(back) + "\"><a>" + back + "</a>";
    SharedPage page = marks.cut(html);
    assertThat(page.holes()).containsExactly("cart", "back", "back");

    String alice = page.fill((hole, out) -> out.appendString(hole.equals("cart") ? "3" : "/s/a?x=1")).toString();
    String bob = page.fill((hole, out) -> out.appendString(hole.equals("cart") ? "0" : "/s/a")).toString();
    assertThat(alice).isEqualTo("<p>Cart 3</p><input value=\"/s/a?x=1\"><a>/s/a?x=1</a>");
    assertThat(bob).isEqualTo("<p>Cart 0</p><input value=\"/s/a\"><a>/s/a</a>").doesNotContain("3");
    assertThat(page.weight()).isGreaterThanOrEqualTo(html.length() - 3 * cart.length());
  }

  @Test
  void textThatLooksLikeAHoleIsJustText() {
    SharedPage.Marks marks = new SharedPage.Marks();
    String mark = marks.mark("cart");
    // what a buyer could type: the shape of a mark without the random prefix of this JVM
    String typed = "hole0z " + mark.substring(0, 10) + "0z " + mark.substring(0, mark.length() - 3) + "0z";
    SharedPage page = marks.cut("<p>" + typed + "</p>" + mark);
    assertThat(page.holes()).containsExactly("cart");
    assertThat(page.fill((hole, out) -> out.appendString("!")).toString()).isEqualTo("<p>" + typed + "</p>!");
  }

  @Test
  void pagesNestInHolesAndCountTheirWeight() {
    SharedPage.Marks inner = new SharedPage.Marks();
    SharedPage tile = inner.cut("<article>" + inner.mark("back") + "</article>");
    SharedPage.Marks outer = new SharedPage.Marks();
    BrowseCache.Weighed hole = new Nested(tile);
    SharedPage page = outer.cut("<main>" + outer.mark(hole) + outer.mark(hole) + "</main>");
    SharedPage.Filler filler = new SharedPage.Filler() {
      @Override
      public void fill(Object h, io.vertx.core.buffer.Buffer out) {
        if (h instanceof Nested n) {
          n.page().write(out, this);
        } else {
          out.appendString("/x");
        }
      }
    };
    assertThat(page.fill(filler).toString()).isEqualTo("<main><article>/x</article><article>/x</article></main>");
    assertThat(page.weight()).isGreaterThan(2 * tile.weight());
  }

  private record Nested(SharedPage page) implements BrowseCache.Weighed {
    @Override
    public int weight() {
      return page.weight();
    }
  }

  @Test
  void dollarsAreWrittenAsNumberFormatWritesThem() {
    NumberFormat f = NumberFormat.getCurrencyInstance(Locale.US);
    Random random = new Random(19);
    long[] edges = {0, 1, 5, 9, 10, 99, 100, 101, 999, 1000, 99_999, 100_000, 123_456, 99_999_999, 100_000_000,
        123_456_789_012L, -1, -5, -99, -100, -150, -123_456_789};
    for (long c : edges) {
      assertThat(Money.usd(c)).as("%d cents", c).isEqualTo(f.format(c / 100.0));
    }
    for (int i = 0; i < 20_000; i++) {
      long c = random.nextLong() % (i % 2 == 0 ? 1_000_000L : 1_000_000_000_000L);
      assertThat(Money.usd(c)).as("%d cents", c).isEqualTo(f.format(c / 100.0));
    }
    assertThat(Money.usd(null)).isEmpty();
    assertThat(Money.usd(Long.MIN_VALUE)).isEqualTo("-$92,233,720,368,547,758.08");
  }

  @Test
  void onlyHttpImagesAreKept() {
    assertThat(CardWords.safeUrl("https://img.example/a.jpg")).isEqualTo("https://img.example/a.jpg");
    assertThat(CardWords.safeUrl("HTTP://img.example/a.jpg")).isEqualTo("HTTP://img.example/a.jpg");
    for (String bad : new String[] {null, "javascript:alert(1)", "data:image/png;base64,x", "/relative.jpg",
        " https://img.example/a.jpg", "https://img.example/a b.jpg", "httpx://a", "ftp://a"}) {
      assertThat(CardWords.safeUrl(bad)).as(bad).isNull();
    }
  }
}
