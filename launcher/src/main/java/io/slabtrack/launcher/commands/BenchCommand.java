package io.slabtrack.launcher.commands;

import io.slabtrack.launcher.bench.BrowseBenchmark;
import io.slabtrack.launcher.bench.AllBenchmarks;
import io.slabtrack.launcher.bench.BusBenchmark;
import io.slabtrack.launcher.bench.ClaimBenchmark;
import io.slabtrack.launcher.bench.PublishBenchmark;
import io.slabtrack.launcher.bench.ReconcileBenchmark;
import io.slabtrack.launcher.bench.LockBenchmark;
import io.slabtrack.launcher.bench.OutboxBenchmark;
import io.slabtrack.launcher.bench.ResponderCommand;
import io.slabtrack.launcher.bench.SoakBenchmark;
import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks that print figures next to an anchor measured in the same run (loopback only).",
    subcommands = {BusBenchmark.class, OutboxBenchmark.class, LockBenchmark.class, PublishBenchmark.class,
        ClaimBenchmark.class, ReconcileBenchmark.class, BrowseBenchmark.class, SoakBenchmark.class, AllBenchmarks.class,
        ResponderCommand.class})
public final class BenchCommand {
}
