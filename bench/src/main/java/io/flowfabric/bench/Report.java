package io.flowfabric.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one suite run measured: the machine, the PostgreSQL settings, one entry per scenario and
 * backend with every figure, notes and the target verdicts. Printed as a table and written as JSON.
 */
final class Report {
    final Map<String, Object> run = new LinkedHashMap<>();
    final Map<String, Object> machine = new LinkedHashMap<>();
    final Map<String, Object> postgres = new LinkedHashMap<>();
    final List<Map<String, Object>> results = new ArrayList<>();
    final List<Map<String, Object>> targets = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Report(java.time.Clock clock) {
        run.put("started_at", clock.instant().toString());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu_model", cpuModel());
        machine.put("memory_gib", memoryGib());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        machine.put("jvm_max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("jvm_gc", gcNames());
        machine.put("load_average_at_start", Stats.loadAverage());
    }

    /** Adds a result entry; the caller puts its figures into the returned map. */
    Map<String, Object> add(String scenario, String backend, String what, String summary) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", scenario);
        r.put("backend", backend);
        r.put("what", what);
        r.put("summary", summary);
        r.put("load_average", Stats.loadAverage());
        results.add(r);
        System.out.printf(Locale.ROOT, "  -> %-4s %-9s %-34s %s%n", scenario, backend, what, summary);
        return r;
    }

    /** The first result of a scenario and backend whose {@code what} starts with {@code whatPrefix}. */
    Map<String, Object> find(String scenario, String backend, String whatPrefix) {
        return results.stream().filter(r -> r.get("scenario").equals(scenario) && r.get("backend").equals(backend)
                && ((String) r.get("what")).startsWith(whatPrefix)).findFirst().orElse(null);
    }

    static double number(Map<String, Object> result, String key) {
        Object v = result == null ? null : result.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    void target(String name, String goal, String measured, boolean met) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("target", name);
        t.put("goal", goal);
        t.put("measured", measured);
        t.put("met", met);
        targets.add(t);
    }

    void print(PrintStream out) {
        out.println();
        out.println("== FlowFabric benchmark suite ==");
        out.printf(Locale.ROOT, "machine: %s cores (%s), %s GiB, %s; JVM %s%n", machine.get("cores"),
                machine.get("cpu_model"), machine.get("memory_gib"), machine.get("os"), machine.get("jvm"));
        out.printf(Locale.ROOT, "load average: start %s, end %s%n", machine.get("load_average_at_start"),
                machine.get("load_average_at_end"));
        if (!postgres.isEmpty()) {
            out.println("postgres: " + postgres);
        }
        out.println();
        out.printf(Locale.ROOT, "%-4s | %-9s | %-34s | %s%n", "scen", "backend", "what", "figures");
        out.println("-----+-----------+------------------------------------+" + "-".repeat(60));
        for (Map<String, Object> r : results) {
            out.printf(Locale.ROOT, "%-4s | %-9s | %-34s | %s%n", r.get("scenario"), r.get("backend"), r.get("what"),
                    r.get("summary"));
        }
        if (!targets.isEmpty()) {
            out.println();
            out.println("targets:");
            for (Map<String, Object> t : targets) {
                out.printf(Locale.ROOT, "  [%s] %-40s goal %-28s measured %s%n",
                        Boolean.TRUE.equals(t.get("met")) ? " met " : "MISSED", t.get("target"), t.get("goal"),
                        t.get("measured"));
            }
        }
        if (!notes.isEmpty()) {
            out.println();
            out.println("notes:");
            notes.forEach(n -> out.println("  - " + n));
        }
    }

    void write(Path file) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("run", run);
        doc.put("machine", machine);
        doc.put("postgres", postgres);
        doc.put("results", results);
        doc.put("targets", targets);
        doc.put("notes", notes);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Object memoryGib() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Stats.round1(os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return "unknown";
    }

    private static String gcNames() {
        List<String> names = new ArrayList<>();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> names.add(gc.getName()));
        return String.join(", ", names);
    }
}
