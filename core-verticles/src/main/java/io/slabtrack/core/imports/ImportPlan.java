package io.slabtrack.core.imports;

import io.slabtrack.core.cards.CardField;
import io.slabtrack.core.cards.CardInput;
import io.slabtrack.core.cards.InvalidField;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An import file judged row by row and cut into chunks of consecutive rows, each to be committed with its outcome.
 * A row is valid, or an error with its index and field; a cert number twice in the file is an error. When an earlier
 * run of this same file got as far as row {@code n}, its rows without a cert number before {@code n} are errors too:
 * they were imported then, and only graded cards have a unique key that would catch the second copy.
 */
final class ImportPlan {
  record Valid(int row, Map<CardField, Object> values) {
  }

  /** Rows [from, to) of the file: the valid ones to insert and the errors of the others. */
  record Chunk(int from, int to, List<Valid> valid, JsonArray rowErrors) {
  }

  /** The furthest an earlier import of the same file got: rows before {@code processed} are settled there. */
  record EarlierRun(UUID jobId, int processed) {
  }

  private ImportPlan() {
  }

  /** Identifies a file by its rows as parsed, so the same JSON or CSV file re-sent is recognised. */
  static String fingerprint(JsonArray rows) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(rows.encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @param earlier the earlier run of this file that got furthest, or null */
  static List<Chunk> chunks(JsonArray rows, EarlierRun earlier, int chunkSize) {
    List<Chunk> chunks = new ArrayList<>();
    Chunk current = new Chunk(0, 0, new ArrayList<>(), new JsonArray());
    Set<String> certs = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      if (current.valid().size() == chunkSize) {
        chunks.add(new Chunk(current.from(), i, current.valid(), current.rowErrors()));
        current = new Chunk(i, i, new ArrayList<>(), new JsonArray());
      }
      try {
        Object raw = rows.getValue(i);
        if (!(raw instanceof JsonObject o)) {
          throw new InvalidField("row", "each row must be a JSON object");
        }
        Map<CardField, Object> values = withDefaults(CardInput.forCreate(o));
        Object cert = values.get(CardField.CERT_NUMBER);
        Object grader = values.get(CardField.GRADING_COMPANY);
        if (cert != null && grader != null && !certs.add(grader + "|" + cert)) {
          throw new InvalidField("certNumber", "cert " + grader + " " + cert + " appears earlier in this import");
        }
        if ((cert == null || grader == null) && earlier != null && i < earlier.processed()) {
          throw new InvalidField("row", "already imported by job " + earlier.jobId()
              + ", an earlier import of this same file");
        }
        current.valid().add(new Valid(i, values));
      } catch (InvalidField e) {
        current.rowErrors().add(e.rowError().put("row", i));
      }
    }
    chunks.add(new Chunk(current.from(), rows.size(), current.valid(), current.rowErrors()));
    return chunks;
  }

  /** Defaults spelled out: one INSERT names every column, so absent ones would be NULL, not their default. */
  private static Map<CardField, Object> withDefaults(Map<CardField, Object> values) {
    Map<CardField, Object> all = new EnumMap<>(CardField.class);
    for (CardField f : CardField.values()) {
      all.put(f, values.get(f));
    }
    all.computeIfAbsent(CardField.IS_KEEPER, k -> false);
    all.computeIfAbsent(CardField.PULL_ELIGIBLE, k -> true);
    all.computeIfAbsent(CardField.FLIP_ELIGIBLE, k -> true);
    return all;
  }
}
