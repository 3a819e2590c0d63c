package io.flowfabric.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/** Small measuring helpers shared by the scenarios: histograms, medians, CPU windows, waiting. */
final class Stats {
    private Stats() {
    }

    /** A histogram of latencies in microseconds, up to one minute, 3 significant digits. */
    static Histogram micros() {
        return new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    }

    static void recordNanos(Histogram h, long nanos) {
        h.recordValue(Math.min(h.getHighestTrackableValue(), Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos))));
    }

    /** Percentiles of a microsecond histogram, in milliseconds. */
    static Map<String, Object> summary(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50_ms", ms(h.getValueAtPercentile(50)));
        m.put("p90_ms", ms(h.getValueAtPercentile(90)));
        m.put("p99_ms", ms(h.getValueAtPercentile(99)));
        m.put("p999_ms", ms(h.getValueAtPercentile(99.9)));
        m.put("max_ms", ms(h.getMaxValue()));
        m.put("mean_ms", round3(h.getMean() / 1000.0));
        return m;
    }

    static String brief(Histogram h) {
        return String.format(Locale.ROOT, "p50 %.3f ms, p90 %.3f, p99 %.3f, max %.3f (n=%d)",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()), h.getTotalCount());
    }

    static double ms(long micros) {
        return round3(micros / 1000.0);
    }

    static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    static double round1(double v) {
        return Math.round(v * 10.0) / 10.0;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    static double rate(long count, long nanos) {
        return round1(count / (nanos / 1e9));
    }

    /** Busy-waits politely (1 ms naps) until {@code condition} holds; false when {@code timeout} passed. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Adds CPU milliseconds per item (execution or job) of this JVM and of everything else to a CPU window. */
    static Map<String, Object> perItem(Map<String, Object> cpu, double itemsPerSecond) {
        Map<String, Object> m = new LinkedHashMap<>(cpu);
        for (String key : new String[] {"jvm_cores", "other_processes_cores"}) {
            if (cpu.get(key) instanceof Double cores && itemsPerSecond > 0) {
                m.put(key.replace("_cores", "_cpu_ms_per_item"), round3(cores * 1000 / itemsPerSecond));
            }
        }
        return m;
    }

    /** The 1-minute load average, or -1 when unreadable. */
    static double loadAverage() {
        return round1(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * CPU used during a window, in cores: by this JVM, and by everything else on the machine (the embedded
     * PostgreSQL, and any other process sharing it), from {@code /proc/stat}.
     */
    static final class CpuWindow {
        private final long startNanos = System.nanoTime();
        private final long startProcess = processCpuNanos();
        private final long[] startMachine = machineJiffies();
        private final Map<Long, Long> startThreads = threadCpu();
        private final Map<String, Long> startIo = processIo();

        static CpuWindow start() {
            return new CpuWindow();
        }

        Map<String, Object> stop() {
            double wall = (System.nanoTime() - startNanos) / 1e9;
            double jvm = (processCpuNanos() - startProcess) / 1e9 / wall;
            long[] end = machineJiffies();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jvm_cores", round3(jvm));
            if (end != null && startMachine != null && end[1] > startMachine[1]) {
                double busyShare = (double) (end[0] - startMachine[0]) / (end[1] - startMachine[1]);
                double machine = busyShare * Runtime.getRuntime().availableProcessors();
                m.put("machine_busy_cores", round3(machine));
                m.put("other_processes_cores", round3(Math.max(0, machine - jvm)));
            }
            Map<String, Long> io = processIo();
            if (io.containsKey("wchar") && startIo.containsKey("wchar")) {
                m.put("jvm_write_mib_per_s", round1((io.get("wchar") - startIo.get("wchar")) / wall / (1 << 20)));
                m.put("jvm_write_syscalls_per_s", round1((io.get("syscw") - startIo.get("syscw")) / wall));
            }
            m.put("jvm_threads_cores", threadGroups(wall));
            return m;
        }

        /** CPU of this JVM's threads during the window, in cores, grouped by name with digits removed. */
        private Map<String, Object> threadGroups(double wall) {
            java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<String, Double> groups = new java.util.HashMap<>();
            for (Map.Entry<Long, Long> e : threadCpu().entrySet()) {
                java.lang.management.ThreadInfo info = mx.getThreadInfo(e.getKey());
                if (info == null) {
                    continue;
                }
                double cores = (e.getValue() - startThreads.getOrDefault(e.getKey(), 0L)) / 1e9 / wall;
                groups.merge(info.getThreadName().replaceAll("\\d+", "#"), cores, Double::sum);
            }
            Map<String, Object> sorted = new LinkedHashMap<>();
            groups.entrySet().stream().filter(e -> e.getValue() >= 0.01)
                    .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                    .forEach(e -> sorted.put(e.getKey(), round3(e.getValue())));
            return sorted;
        }

        private static Map<Long, Long> threadCpu() {
            java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<Long, Long> m = new java.util.HashMap<>();
            for (long id : mx.getAllThreadIds()) {
                long t = mx.getThreadCpuTime(id);
                if (t >= 0) {
                    m.put(id, t);
                }
            }
            return m;
        }

        /** {@code /proc/self/io} counters (wchar, syscw, ...), empty off Linux. */
        private static Map<String, Long> processIo() {
            Map<String, Long> m = new java.util.HashMap<>();
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                    String[] kv = line.split(":\\s*");
                    m.put(kv[0], Long.parseLong(kv[1].trim()));
                }
            } catch (IOException | RuntimeException e) {
                m.clear();
            }
            return m;
        }

        private static long processCpuNanos() {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                return sun.getProcessCpuTime();
            }
            return 0;
        }

        /** {busy, total} jiffies over all CPUs, or null off Linux. */
        private static long[] machineJiffies() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return new long[] {total - idle, total};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
