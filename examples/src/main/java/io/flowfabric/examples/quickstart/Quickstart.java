package io.flowfabric.examples.quickstart;

import io.flowfabric.api.Engine;
import io.flowfabric.postgres.PostgresEngine;
import io.flowfabric.postgres.PostgresOptions;
import io.flowfabric.sqlite.SqliteEngine;
import io.flowfabric.sqlite.SqliteOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Mono;

/**
 * Command line entry of the quickstart: analyses the text files of a directory with durable executions
 * on embedded SQLite (default) or PostgreSQL and prints a summary. See {@link QuickstartJob}.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Counts lines, words and frequent terms of a directory's text files, one durable "
                + "execution per file, then aggregates them in a report execution.")
public final class Quickstart implements Callable<Integer> {
    static final String DATABASE_FILE = "quickstart.db";

    @Option(names = "--dir", defaultValue = ".",
            description = "Directory of text files to analyse (default: the working directory).")
    Path dir;

    @Option(names = "--data-dir", defaultValue = "target/quickstart",
            description = "Directory of the SQLite database, recreated on every run (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--postgres-url",
            description = "Use PostgreSQL instead of SQLite, e.g. postgresql://user:pass@localhost:5432/db.")
    String postgresUrl;

    @Option(names = "--max-files", defaultValue = "500", description = "Most files analysed (default: ${DEFAULT-VALUE}).")
    int maxFiles;

    @Option(names = "--concurrency", defaultValue = "8", description = "Executions run at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    public Quickstart() {
        this(System.out);
    }

    Quickstart(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Quickstart()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dir " + root + " is not a directory");
        }
        QuickstartSettings settings = QuickstartSettings.defaults(out::println)
                .withMaxFiles(maxFiles)
                .withConcurrency(concurrency);
        Mono<Engine> engine = openEngine();
        QuickstartReport report = Mono.usingWhen(engine,
                        opened -> new QuickstartJob().run(opened, root, settings),
                        Engine::shutdown)
                .block();
        report.summaryLines().forEach(out::println);
        return 0;
    }

    private Mono<Engine> openEngine() throws IOException {
        if (postgresUrl != null) {
            PostgresOptions options = PostgresOptions.fromUrl(postgresUrl);
            out.println("engine: postgres " + options.user() + "@" + options.host() + ":" + options.port() + "/"
                    + options.database());
            return PostgresEngine.connect(options);
        }
        Path data = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(data);
        Path file = data.resolve(DATABASE_FILE);
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(data.resolve(DATABASE_FILE + suffix));
        }
        out.println("engine: sqlite " + file);
        return SqliteEngine.open(SqliteOptions.file(file));
    }
}
