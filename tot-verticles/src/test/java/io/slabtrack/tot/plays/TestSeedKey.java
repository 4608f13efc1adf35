package io.slabtrack.tot.plays;

/** The dev seed key the tests' nodes run with (no TOT_SEED_KEY set). */
final class TestSeedKey {
  static final String DEV = "slabtrack-tot-dev-seed-key-not-secret";

  private TestSeedKey() {
  }
}
