package io.flowfabric.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.Engine;
import io.flowfabric.sqlite.SqliteEngine;
import io.flowfabric.sqlite.SqliteOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import reactor.core.publisher.Mono;

/** Runs the quickstart on the fixture directory with embedded SQLite. */
@Timeout(120)
class QuickstartTest {

    @TempDir
    Path temp;

    @Test
    void theJobReportsTheFixtureExactly() {
        List<String> progress = new CopyOnWriteArrayList<>();
        QuickstartSettings settings = QuickstartSettings.defaults(progress::add);

        QuickstartReport report = Mono.usingWhen(SqliteEngine.open(SqliteOptions.file(temp.resolve("job.db"))),
                        engine -> new QuickstartJob().run(engine, QuickstartFixture.directory(), settings),
                        Engine::shutdown)
                .block(Duration.ofSeconds(90));

        QuickstartFixture.assertReport(report);
        assertThat(report.backend()).isEqualTo("sqlite");
        assertThat(progress).first().asString().startsWith("found 6 text files under ");
        assertThat(progress).last().asString().startsWith("progress: 6/6 done, 0 failed, 1 retries");
    }

    @Test
    void theCommandPrintsAStableSummary() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Path dataDir = temp.resolve("data");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve(Quickstart.DATABASE_FILE), "left over from an earlier run");

        int exit = new CommandLine(new Quickstart(out)).execute(
                "--dir", QuickstartFixture.directory().toString(), "--data-dir", dataDir.toString());

        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(exit).as("exit code; output:%n%s", String.join("\n", lines)).isZero();
        assertThat(lines).contains("backend: sqlite", "executions: 7", "completed: 7", "failed: 0", "attempts: 8",
                "retries: 1", "files: 6", "lines: 22", "words: 231", QuickstartFixture.TOP_TERMS_LINE);
        assertThat(lines).anyMatch(line -> line.matches("elapsed: \\d+\\.\\d{3} s"))
                .anyMatch(line -> line.matches("throughput: \\d+\\.\\d executions/s"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo(QuickstartFixture.TOP_TERMS_LINE);
    }

    @Test
    void aMissingDirectoryIsAUsageError() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        CommandLine command = new CommandLine(new Quickstart(new PrintStream(buffer, true, StandardCharsets.UTF_8)));
        command.setErr(new java.io.PrintWriter(new java.io.StringWriter()));

        int exit = command.execute("--dir", temp.resolve("missing").toString(), "--data-dir", temp.toString());

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(buffer.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void smallerFilesGetHigherPriority() {
        assertThat(QuickstartJob.priorityFor(0)).isEqualTo(9000);
        assertThat(QuickstartJob.priorityFor(640)).isEqualTo(8990);
        assertThat(QuickstartJob.priorityFor(10_000_000)).isZero();
    }

    @Test
    void theFailingSubsetIsDeterministic() {
        assertThat(FileStatsHandler.failsFirstAttempt("notes/lease-fencing.md")).isTrue();
        assertThat(FileStatsHandler.failsFirstAttempt("river.txt")).isFalse();
    }
}
