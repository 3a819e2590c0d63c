package io.flowfabric.examples.quickstart;

import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Payload;
import io.flowfabric.runtime.ExecutionHandler;
import io.flowfabric.runtime.HandlerContext;
import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Handles {@code report}: reads the result of every file execution named in its {@link ReportRequest}
 * and returns the {@link FileTotals}. Files without a result (failed executions) are left out.
 */
final class ReportHandler implements ExecutionHandler {
    static final String KIND = "report";
    static final int TOP_TERMS = 10;
    private static final int READ_CONCURRENCY = 8;

    private final Engine engine;

    ReportHandler(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Mono<Payload> handle(HandlerContext context) {
        ReportRequest request = Json.read(context.payload(), ReportRequest.class);
        return Flux.fromIterable(request.fileExecutions())
                .flatMap(id -> engine.executions().result(ExecutionId.parse(id)), READ_CONCURRENCY)
                .map(result -> Json.read(result, FileStats.class))
                .collectList()
                .map(files -> {
                    Map<String, Long> terms = new HashMap<>();
                    files.forEach(file -> file.topTerms().forEach(t -> terms.merge(t.term(), t.count(), Long::sum)));
                    return Json.write(new FileTotals(files.size(),
                            files.stream().mapToLong(FileStats::lines).sum(),
                            files.stream().mapToLong(FileStats::words).sum(),
                            TermCount.top(terms, TOP_TERMS)));
                });
    }
}
