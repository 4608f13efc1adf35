package io.slabtrack.cluster.mail;

import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mail sender of every app. With {@code SMTP_HOST} it sends through vertx-mail-client (one shared
 * connection pool per JVM); without it, dev mode writes each mail to the log so a developer can copy the code,
 * and node mode fails every send with 503 {@code mail_unavailable} rather than silently dropping mail.
 */
public final class Mailer {
  private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);
  private static final String POOL = "slabtrack-smtp";

  private enum Mode { SMTP, LOG, UNAVAILABLE }

  private final Mode mode;
  private final MailClient client;
  private final String from;

  private Mailer(Mode mode, MailClient client, String from) {
    this.mode = mode;
    this.client = client;
    this.from = from;
  }

  /** @param who names the app in the startup line, e.g. "core login codes" */
  public static Mailer create(Vertx vertx, MailSettings settings, RunMode runMode, String who) {
    if (settings.host().isPresent()) {
      LOG.info("{}: mail goes out through {}", who, settings);
      return new Mailer(Mode.SMTP, MailClient.createShared(vertx, clientConfig(settings), POOL), settings.from());
    }
    if (runMode == RunMode.DEV) {
      LOG.warn("{}: no SMTP_HOST set, so dev mode WRITES MAILS (login codes included) TO THIS LOG instead of "
          + "sending them", who);
      return new Mailer(Mode.LOG, null, settings.from());
    }
    // what that means is the app's to say (core's login answers 503, Storefront dead-letters confirmations)
    LOG.error("{}: no SMTP_HOST set: this node sends no mail until it is configured", who);
    return new Mailer(Mode.UNAVAILABLE, null, settings.from());
  }

  /** False only in node mode without SMTP: callers answer 503 before doing any work. */
  public boolean canSend() {
    return mode != Mode.UNAVAILABLE;
  }

  public Future<Void> send(Mail mail) {
    return switch (mode) {
      case SMTP -> client.sendMail(new MailMessage().setFrom(from).setTo(mail.to()).setSubject(mail.subject())
          .setText(mail.text())).mapEmpty();
      case LOG -> {
        LOG.info("DEV MAIL to {} | {} | {}", mail.to(), mail.subject(), mail.text().replace('\n', ' '));
        yield Future.succeededFuture();
      }
      case UNAVAILABLE -> Future.failedFuture(ApiErrors.unavailable("mail_unavailable",
          "Mail is not configured on this node"));
    };
  }

  private static MailConfig clientConfig(MailSettings s) {
    MailConfig config = new MailConfig()
        .setHostname(s.host().orElseThrow())
        .setPort(s.port())
        .setSsl(s.ssl())
        .setStarttls(switch (s.starttls()) {
          case "required" -> StartTLSOptions.REQUIRED;
          case "disabled" -> StartTLSOptions.DISABLED;
          default -> StartTLSOptions.OPTIONAL;
        })
        .setKeepAlive(true)
        .setMaxPoolSize(4);
    s.username().ifPresent(config::setUsername);
    s.password().ifPresent(config::setPassword);
    return config;
  }
}
