package io.slabtrack.simulator.shippo;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** A one-page 4×6 inch label (288×432 pt) that looks enough like a carrier's to print and read. */
final class LabelPdf {
  static final PDRectangle FOUR_BY_SIX = new PDRectangle(4 * 72, 6 * 72);

  private LabelPdf() {
  }

  static byte[] render(JsonObject transaction, JsonObject rate, JsonObject from, JsonObject to) {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage(FOUR_BY_SIX);
      doc.addPage(page);
      PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
        c.setLineWidth(2);
        c.addRect(8, 8, 272, 416);
        c.stroke();
        float y = 400;
        y = text(c, bold, 20, 18, y, rate.getString("provider") + "  "
            + rate.getJsonObject("servicelevel").getString("name"));
        y = text(c, regular, 8, 18, y - 6, "SIMULATED LABEL - NOT FOR MAILING");
        c.moveTo(8, y - 4);
        c.lineTo(280, y - 4);
        c.stroke();
        y = text(c, bold, 8, 18, y - 16, "FROM:");
        for (String line : lines(from)) {
          y = text(c, regular, 9, 18, y, line);
        }
        y = text(c, bold, 10, 18, y - 18, "SHIP TO:");
        for (String line : lines(to)) {
          y = text(c, bold, 13, 30, y, line);
        }
        // a fake barcode: bars from the tracking number's digits
        String tracking = transaction.getString("tracking_number");
        float x = 24;
        for (char ch : tracking.toCharArray()) {
          int w = 1 + (ch % 3);
          c.addRect(x, 70, w, 60);
          x += w + 1 + (ch % 2);
          if (x > 260) {
            break;
          }
        }
        c.fill();
        text(c, bold, 11, 24, 58, tracking.replaceAll("(.{4})", "$1 ").trim());
        text(c, regular, 7, 24, 30, "Shippo transaction " + transaction.getString("object_id"));
      }
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static float text(PDPageContentStream c, PDType1Font font, float size, float x, float y, String s)
      throws IOException {
    c.beginText();
    c.setFont(font, size);
    c.newLineAtOffset(x, y - size);
    c.showText(ascii(s));
    c.endText();
    return y - size - 3;
  }

  /** The standard 14 fonts only encode WinAnsi: anything else becomes '?'. */
  private static String ascii(String s) {
    return s == null ? "" : s.replaceAll("[^\\x20-\\x7E]", "?");
  }

  private static String[] lines(JsonObject a) {
    String cityLine = a.getString("city", "") + (a.getString("state") == null ? "" : ", " + a.getString("state"))
        + " " + a.getString("zip", "");
    return a.getString("street2") == null
        ? new String[] {a.getString("name", ""), a.getString("street1", ""), cityLine, a.getString("country", "")}
        : new String[] {a.getString("name", ""), a.getString("street1", ""), a.getString("street2"), cityLine,
            a.getString("country", "")};
  }
}
