package io.slabtrack.tot.plays;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Publishes a play's seedHash somewhere the operator can't rewrite (the original posts it on a blockchain). Only
 * the local implementation exists: it records when the commitment was made, and the API calls it
 * {@code "local"} so no buyer mistakes it for an external proof.
 */
public interface SeedAnchor {
  String kind();

  Future<Instant> anchor(String playId, String seedHash);

  /** Records the time in our own database only. */
  final class Local implements SeedAnchor {
    @Override
    public String kind() {
      return "local";
    }

    @Override
    public Future<Instant> anchor(String playId, String seedHash) {
      return Future.succeededFuture(Instant.now());
    }
  }
}
