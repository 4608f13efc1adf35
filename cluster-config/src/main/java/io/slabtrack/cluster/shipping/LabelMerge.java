package io.slabtrack.cluster.shipping;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.multipdf.PDFMergerUtility;
import org.apache.pdfbox.pdmodel.PDDocument;

/** Label PDFs (one 4×6 page each) merged into one document for the printer, in the order given. Blocking: a worker's. */
public final class LabelMerge {
  private LabelMerge() {
  }

  public record Merged(byte[] pdf, int pages) {
  }

  public static Merged merge(List<byte[]> labels) {
    try {
      PDFMergerUtility merger = new PDFMergerUtility();
      for (byte[] label : labels) {
        merger.addSource(new RandomAccessReadBuffer(label));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      merger.setDestinationStream(out);
      merger.mergeDocuments(IOUtils.createMemoryOnlyStreamCache());
      byte[] pdf = out.toByteArray();
      try (PDDocument doc = Loader.loadPDF(pdf)) {
        return new Merged(pdf, doc.getNumberOfPages());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("merging labels failed", e);
    }
  }
}
