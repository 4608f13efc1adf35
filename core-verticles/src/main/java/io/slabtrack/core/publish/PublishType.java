package io.slabtrack.core.publish;

/** What a publish message asks the satellite to do with its listing. */
public enum PublishType {
  /** List the card (or lot) now; idempotent on the receiver by listing key. */
  PUBLISH,
  /** The listed card changed (price, images, details): replace the snapshot if the version is newer. */
  UPDATE,
  /** Take the listing down (operator disengage, or sold on another channel). */
  DISENGAGE;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
