package io.flowfabric.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Compares the figures of a run with the targets of docs/performance.md and adds the standing notes. */
final class Verdicts {
    private Verdicts() {
    }

    static void evaluate(BenchSuite s) {
        Report r = s.report;
        Map<String, Object> pgEngine = r.find("S1", "postgres", "engine");
        Map<String, Object> pgBase = r.find("S1", "postgres", "raw");
        if (pgEngine != null && pgBase != null) {
            double ratio = Stats.round3(Report.number(pgEngine, "executions_per_s") / Report.number(pgBase, "jobs_per_s"));
            pgEngine.put("ratio_to_baseline", ratio);
            r.target("S1 postgres vs raw single-claim queue", ">= 1.0 x baseline", String.format(Locale.ROOT,
                    "%.3f x (%.0f vs %.0f /s)", ratio, Report.number(pgEngine, "executions_per_s"),
                    Report.number(pgBase, "jobs_per_s")), ratio >= 1.0);
        }
        Map<String, Object> liteEngine = r.find("S1", "sqlite", "engine");
        Map<String, Object> liteBase = r.find("S1", "sqlite", "raw");
        if (liteEngine != null) {
            double rate = Report.number(liteEngine, "executions_per_s");
            if (liteBase != null) {
                liteEngine.put("ratio_to_baseline", Stats.round3(rate / Report.number(liteBase, "jobs_per_s")));
            }
            r.target("S1 sqlite", ">= 20,000 executions/s", String.format(Locale.ROOT, "%.0f /s", rate), rate >= 20_000);
        }
        Map<String, Object> s2 = r.find("S2", "postgres", "create call -> handler start, poll " + s.s2PollMs.get(0) + " ms");
        if (s2 != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> h = (Map<String, Object>) s2.get("from_create_call");
            double p50 = Report.number(h, "p50_ms");
            double p99 = Report.number(h, "p99_ms");
            String label = "S2 postgres, poll " + s.s2PollMs.get(0) + " ms";
            r.target(label + ": p50 create -> start", "<= 2 ms", p50 + " ms", p50 <= 2.0);
            r.target(label + ": p99 create -> start", "<= 10 ms", p99 + " ms", p99 <= 10.0);
        }
        for (String backend : List.of("postgres", "sqlite")) {
            Map<String, Object> ratio = r.find("S4", backend, "ratio");
            if (ratio != null) {
                double v = Report.number(ratio, "ratio");
                r.target("S4 " + backend + " largest / smallest backlog", ">= 0.80", String.format(Locale.ROOT,
                        "%.3f", v), v >= 0.8);
            }
        }
        if (r.find("S2", "postgres", "") != null || r.find("S2", "sqlite", "") != null) {
            r.notes.add("S2: the worker claims when a claim hint for its lane arrives (NOTIFY ff_claimable on"
                    + " PostgreSQL, in-process on SQLite) and polls only as a safety net, so the latency is the create,"
                    + " the hint and one claim transaction. Poll intervals run: " + s.s2PollMs + " ms; the first is"
                    + " held to the target, the others show what shorter polling still buys and what it costs an"
                    + " idle worker (claim_and_reclaim_transactions_per_s).");
        }
        if (r.results.stream().anyMatch(x -> "sql-clone".equals(x.get("fill")))) {
            r.notes.add("S4: backlogs whose API fill was projected (from the API create rate of a smaller backlog) to"
                    + " take more than " + s.s4ApiFillMaxSeconds + " s were filled by one API create followed by"
                    + " INSERT ... SELECT copies of that row (every column as the engine wrote it, new random id,"
                    + " creation times 1 ms apart, older than the template); see fill and projected_api_fill_seconds.");
        }
        r.notes.add("Machine shared with other processes: see load_average per result and other_processes_cores"
                + " (CPU used outside this JVM: PostgreSQL and anything else running) in the JSON.");
    }
}
