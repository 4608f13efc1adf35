package io.slabtrack.cluster.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared mail sender against a real SMTP server (GreenMail), and its two fallbacks without SMTP_HOST. */
class MailerTest {
  private static Vertx vertx;
  private static GreenMail smtp;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
  }

  @AfterAll
  static void stop() {
    smtp.stop();
    vertx.close().await();
  }

  @Test
  void sendsThroughSmtp() throws Exception {
    MailSettings settings = MailSettings.from(new Settings(Map.of("SMTP_HOST", "127.0.0.1",
        "SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()), "SMTP_FROM", "SlabTrack <login@slabtrack.test>")));
    Mailer mailer = Mailer.create(vertx, settings, RunMode.NODE, "test");
    assertThat(mailer.canSend()).isTrue();
    mailer.send(new Mail("someone@example.test", "Hello", "line one\nline two")).await(10, TimeUnit.SECONDS);
    assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
    MimeMessage received = smtp.getReceivedMessages()[0];
    assertThat(received.getSubject()).isEqualTo("Hello");
    assertThat(received.getAllRecipients()[0].toString()).isEqualTo("someone@example.test");
    assertThat(received.getFrom()[0].toString()).contains("login@slabtrack.test");
    assertThat(GreenMailUtil.getBody(received)).contains("line two");
  }

  @Test
  void withoutSmtpDevLogsAndNodeModeRefuses() throws Exception {
    MailSettings none = MailSettings.from(new Settings(Map.of()));
    Mailer dev = Mailer.create(vertx, none, RunMode.DEV, "test");
    assertThat(dev.canSend()).isTrue();
    dev.send(new Mail("a@example.test", "s", "t")).await(5, TimeUnit.SECONDS);

    Mailer node = Mailer.create(vertx, none, RunMode.NODE, "test");
    assertThat(node.canSend()).isFalse();
    assertThatThrownBy(() -> node.send(new Mail("a@example.test", "s", "t")).await(5, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
  }

  @Test
  void badSettingsNameTheVariableAndToStringHidesThePassword() {
    assertThatThrownBy(() -> MailSettings.from(new Settings(Map.of("SMTP_STARTTLS", "maybe"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SMTP_STARTTLS");
    assertThatThrownBy(() -> MailSettings.from(new Settings(Map.of("SMTP_PORT", "99999"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SMTP_PORT");
    MailSettings s = MailSettings.from(new Settings(Map.of("SMTP_HOST", "mail.example", "SMTP_USERNAME", "u",
        "SMTP_PASSWORD", "hunter2-secret")));
    assertThat(s.toString()).doesNotContain("hunter2").contains("mail.example");
    assertThat(s.starttls()).isEqualTo("required");
  }
}
