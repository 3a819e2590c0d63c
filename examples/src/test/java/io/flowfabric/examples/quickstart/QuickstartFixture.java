package io.flowfabric.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.state.PublicState;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * The fixture directory and what the quickstart must report for it. The numbers were counted
 * independently of {@link TextStats}: six text files (the binary {@code logo.bin} is skipped), of which
 * {@code notes/lease-fencing.md} fails its first attempt.
 */
final class QuickstartFixture {
    static final int FILES = 6;
    static final long LINES = 22;
    static final long WORDS = 231;
    static final List<TermCount> TOP_TERMS = List.of(
            new TermCount("worker", 6), new TermCount("lease", 5), new TermCount("execution", 4),
            new TermCount("bridge", 3), new TermCount("dough", 3), new TermCount("river", 3),
            new TermCount("bread", 2), new TermCount("carries", 2), new TermCount("engine", 2),
            new TermCount("epoch", 2));
    static final String TOP_TERMS_LINE = "top terms: worker=6, lease=5, execution=4, bridge=3, dough=3, river=3, "
            + "bread=2, carries=2, engine=2, epoch=2";

    private QuickstartFixture() {
    }

    static Path directory() {
        try {
            return Path.of(QuickstartFixture.class.getResource("/quickstart-fixture").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts the report of a run over the fixture, on any backend. */
    static void assertReport(QuickstartReport report) {
        assertThat(report.totals()).isEqualTo(new FileTotals(FILES, LINES, WORDS, TOP_TERMS));
        assertThat(report.count(PublicState.COMPLETED)).isEqualTo(FILES + 1);
        assertThat(report.count(PublicState.FAILED)).isZero();
        assertThat(report.executions()).isEqualTo(FILES + 1);
        assertThat(report.retries()).isEqualTo(1);
        assertThat(report.attempts()).isEqualTo(FILES + 1 + report.retries());
    }
}
