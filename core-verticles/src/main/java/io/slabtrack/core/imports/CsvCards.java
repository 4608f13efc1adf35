package io.slabtrack.core.imports;

import io.slabtrack.core.cards.CardField;
import io.slabtrack.core.cards.InvalidField;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A spreadsheet export as import rows: the header names card fields (camelCase or snake_case), empty cells are
 * absent, numbers and booleans are typed by the field's kind. A cell that isn't a number stays text, so the row's
 * validation reports it with its field like any JSON row.
 */
public final class CsvCards {
  private CsvCards() {
  }

  public static JsonArray parse(String csv) {
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
        .setIgnoreEmptyLines(true).get();
    try (CSVParser parser = CSVParser.parse(new StringReader(csv), format)) {
      List<CardField> columns = new ArrayList<>();
      for (String name : parser.getHeaderNames()) {
        columns.add(field(name));
      }
      JsonArray rows = new JsonArray();
      for (CSVRecord record : parser) {
        JsonObject row = new JsonObject();
        for (int i = 0; i < columns.size() && i < record.size(); i++) {
          String cell = record.get(i);
          if (!cell.isEmpty()) {
            row.put(columns.get(i).json, typed(columns.get(i), cell));
          }
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidField("body", "not readable as CSV with a header row: " + e.getMessage());
    }
  }

  private static CardField field(String header) {
    String h = header.strip();
    CardField f = CardField.byJson(h);
    if (f == null) {
      f = CardField.all().stream().filter(c -> c.column.equals(h.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
    }
    if (f == null) {
      throw new InvalidField(h, "CSV column '" + h + "' is not a card field");
    }
    return f;
  }

  private static Object typed(CardField f, String cell) {
    switch (f.kind) {
      case CENTS, YEAR, COUNT:
        try {
          return Long.parseLong(cell);
        } catch (NumberFormatException e) {
          return cell;
        }
      case BOOL:
        return "true".equalsIgnoreCase(cell) ? Boolean.TRUE : "false".equalsIgnoreCase(cell) ? Boolean.FALSE : cell;
      default:
        return cell;
    }
  }
}
