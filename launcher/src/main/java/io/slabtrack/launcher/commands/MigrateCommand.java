package io.slabtrack.launcher.commands;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.cluster.db.Migrations;
import io.slabtrack.launcher.runtime.Apps;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Creates missing databases and runs the migrations of one app (or all), then exits.")
public final class MigrateCommand implements Callable<Integer> {

  @Option(names = "--app", description = "core, tot or storefront (default: all three)")
  String app;

  @Override
  public Integer call() throws Exception {
    NodeConfig config = NodeConfig.load(Settings.fromEnvironment(), RunMode.DEV, Optional.empty());
    List<AppModule> modules = app == null ? Apps.all() : List.of(Apps.of(AppName.parse(app)));
    for (AppModule module : modules) {
      PgSettings db = config.database(module.name());
      boolean created = Databases.ensureExists(db);
      int applied = Migrations.migrate(db, module.migrationsLocation());
      System.out.printf("%-10s %s%s: %d migration(s) applied%n", module.name().id(), db,
          created ? " (created)" : "", applied);
    }
    return 0;
  }
}
