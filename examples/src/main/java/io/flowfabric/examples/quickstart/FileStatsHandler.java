package io.flowfabric.examples.quickstart;

import io.flowfabric.api.Payload;
import io.flowfabric.runtime.ExecutionHandler;
import io.flowfabric.runtime.HandlerContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Handles {@code file-stats}: reads the file and returns its {@link FileStats}. To show retries, the first
 * attempt of a deterministic fifth of the files fails ({@link #failsFirstAttempt}).
 */
final class FileStatsHandler implements ExecutionHandler {
    static final String KIND = "file-stats";

    /** The simulated failure of a first attempt. */
    static final class SimulatedFailure extends RuntimeException {
        SimulatedFailure(String relativePath) {
            super("simulated failure of the first attempt on " + relativePath);
        }
    }

    /** Whether the first attempt on this file fails: the path's {@code String.hashCode()} mod 5 is 0. */
    static boolean failsFirstAttempt(String relativePath) {
        return Math.floorMod(relativePath.hashCode(), 5) == 0;
    }

    @Override
    public Mono<Payload> handle(HandlerContext context) {
        FileTask task = Json.read(context.payload(), FileTask.class);
        if (context.attemptIndex() == 0 && failsFirstAttempt(task.relativePath())) {
            return Mono.error(new SimulatedFailure(task.relativePath()));
        }
        return Mono.fromCallable(() -> {
            // malformed UTF-8 is replaced rather than rejected: the counts are approximate for such files
            String text = new String(Files.readAllBytes(Path.of(task.path())), StandardCharsets.UTF_8);
            return Json.write(TextStats.analyze(task.relativePath(), text));
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
