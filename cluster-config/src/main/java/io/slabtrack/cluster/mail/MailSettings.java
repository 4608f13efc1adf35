package io.slabtrack.cluster.mail;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.Settings;
import java.util.Locale;
import java.util.Optional;

/**
 * SMTP settings shared by every app that sends mail (login codes, order emails). Without {@code SMTP_HOST}
 * there is no SMTP: dev mode writes mails to the log, node mode refuses to send (see {@link Mailer}).
 *
 * @param starttls {@code required} (default when credentials are set), {@code optional} or {@code disabled}
 */
public record MailSettings(
    Optional<String> host,
    int port,
    String from,
    Optional<String> username,
    Optional<String> password,
    String starttls,
    boolean ssl) {

  public static MailSettings from(Settings s) {
    Optional<String> user = s.optional("SMTP_USERNAME");
    String starttls = s.string("SMTP_STARTTLS", user.isPresent() ? "required" : "optional").toLowerCase(Locale.ROOT);
    if (!starttls.equals("required") && !starttls.equals("optional") && !starttls.equals("disabled")) {
      throw new ConfigException("SMTP_STARTTLS must be required, optional or disabled, got '" + starttls + "'");
    }
    String from = s.string("SMTP_FROM", "SlabTrack <no-reply@slabtrack.local>");
    if (!from.contains("@")) {
      throw new ConfigException("SMTP_FROM must be a mail address, got '" + from + "'");
    }
    return new MailSettings(s.optional("SMTP_HOST"), s.integer("SMTP_PORT", 587, 1, 65535), from, user,
        s.optional("SMTP_PASSWORD"), starttls, s.bool("SMTP_SSL", false));
  }

  /** Never prints the password: this is what startup logs show. */
  @Override
  public String toString() {
    return host.map(h -> "smtp://" + username.map(u -> u + "@").orElse("") + h + ":" + port
        + " (starttls " + starttls + (ssl ? ", ssl" : "") + ", from " + from + ")").orElse("no SMTP_HOST");
  }
}
