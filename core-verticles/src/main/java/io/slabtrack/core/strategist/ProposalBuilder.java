package io.slabtrack.core.strategist;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Runs the allocator and encodes the new proposal twice (its stored document, and the API's view of it). Meant for a
 * worker thread: over a 10,000-card portfolio that is megabytes of JSON, too long to hold an event loop.
 */
public final class ProposalBuilder {
  private ProposalBuilder() {
  }

  /** A built proposal: its id and creation time (microseconds, as PostgreSQL keeps them), document and view. */
  public record Built(UUID id, Instant createdAt, String document, String view) {
  }

  public static Built build(String tool, StrategyConfig config, List<PortfolioCard> cards, Instant now) {
    Instant created = now.truncatedTo(ChronoUnit.MICROS);
    JsonObject doc = new Allocator(config, created).propose(tool, cards);
    UUID id = UUID.randomUUID();
    String view = ProposalView.of(id.toString(), "open", created.toString(), null, doc).encode();
    return new Built(id, created, doc.encode(), view);
  }
}
