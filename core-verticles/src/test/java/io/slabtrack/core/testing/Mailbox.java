package io.slabtrack.core.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real SMTP server (GreenMail) on a free port, and reading login codes out of what it received. */
public final class Mailbox implements AutoCloseable {
  private static final Pattern CODE = Pattern.compile("code is (\\d{6})");
  private final GreenMail smtp;

  public Mailbox() {
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
  }

  /** The settings that point an app's mail sender at this server. */
  public Map<String, String> env() {
    return Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()),
        "SMTP_FROM", "SlabTrack <login@slabtrack.test>");
  }

  public List<MimeMessage> to(String email) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> recipient(m).equalsIgnoreCase(email)).toList();
  }

  /** Waits for the {@code nth} (1-based) mail to {@code email} and returns the code in it. */
  public String awaitCode(String email, int nth) throws InterruptedException {
    List<MimeMessage> mails = io.slabtrack.cluster.testing.Poll.until("mail #" + nth + " to " + email,
        java.time.Duration.ofSeconds(10), () -> to(email), found -> found.size() >= nth);
    Matcher m = CODE.matcher(GreenMailUtil.getBody(mails.get(nth - 1)));
    if (m.find()) {
      return m.group(1);
    }
    throw new AssertionError("no code in mail to " + email);
  }

  private static String recipient(MimeMessage m) {
    try {
      return m.getRecipients(Message.RecipientType.TO)[0].toString();
    } catch (Exception e) {
      return "";
    }
  }

  @Override
  public void close() {
    smtp.stop();
  }
}
