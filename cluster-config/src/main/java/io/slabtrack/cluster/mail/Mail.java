package io.slabtrack.cluster.mail;

import java.util.Objects;

/** One plain-text mail to one recipient. */
public record Mail(String to, String subject, String text) {
  public Mail {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
  }
}
