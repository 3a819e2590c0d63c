package io.flowfabric.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A quick in-process profile: samples every thread's stack every few milliseconds and counts, for threads
 * that are running (not parked or waiting in epoll), the top frame and the library that owns the top-most
 * non-JDK frame. Safepoint-biased like any {@code getAllStackTraces} sampler; good enough to see which
 * layer the client CPU goes to. Opt-in ({@code --profile}) because sampling itself costs CPU.
 */
final class StackSampler {
    private static final Set<String> IDLE_TOP = Set.of(
            "io.netty.channel.epoll.Native.epollWait", "io.netty.channel.epoll.Native.epollWait0",
            "io.netty.channel.epoll.Native.epollBusyWait0", "sun.nio.ch.EPoll.wait",
            "jdk.internal.misc.Unsafe.park", "java.lang.Object.wait", "java.lang.Thread.sleep",
            "java.lang.Thread.sleep0", "sun.nio.ch.Net.poll", "sun.nio.ch.SocketDispatcher.read0",
            "java.lang.ref.Reference.waitForReferencePendingList", "java.lang.Thread.yield");
    private static final String[][] GROUPS = {
            {"io.flowfabric.internal.", "engine core (io.flowfabric.internal)"},
            {"io.flowfabric.runtime.", "worker runtime (io.flowfabric.runtime)"},
            {"io.flowfabric.postgres.", "postgres store (io.flowfabric.postgres)"},
            {"io.flowfabric.sqlite.", "sqlite store (io.flowfabric.sqlite)"},
            {"io.flowfabric.bench.", "benchmark harness"},
            {"io.r2dbc.postgresql.", "r2dbc-postgresql driver"},
            {"io.r2dbc.pool.", "r2dbc-pool"},
            {"reactor.pool.", "reactor-pool"},
            {"reactor.netty.", "reactor-netty"},
            {"io.netty.", "netty"},
            {"reactor.core.", "reactor-core operators"},
            {"org.sqlite.", "sqlite-jdbc (incl. native SQLite)"},
            {"com.fasterxml.jackson.", "jackson"},
            {"org.postgresql.", "pgjdbc"},
            {"ch.qos.logback.", "logback"},
            {"org.slf4j.", "slf4j"},
    };

    private final Map<String, Integer> topFrames = new HashMap<>();
    private final Map<String, Integer> owners = new HashMap<>();
    private final Map<String, Map<String, Integer>> stacks = new HashMap<>();
    private final Map<String, Integer> sites = new HashMap<>();
    private int samples;
    private int busy;
    private volatile boolean running;
    private Thread thread;

    void start() {
        running = true;
        thread = new Thread(this::loop, "bench-stack-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (running) {
            Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
            synchronized (this) {
                samples++;
                for (Map.Entry<Thread, StackTraceElement[]> e : all.entrySet()) {
                    StackTraceElement[] stack = e.getValue();
                    if (e.getKey() == Thread.currentThread() || stack.length == 0
                            || e.getKey().getState() != Thread.State.RUNNABLE) {
                        continue;
                    }
                    String top = stack[0].getClassName() + "." + stack[0].getMethodName();
                    if (IDLE_TOP.contains(top)) {
                        continue;
                    }
                    busy++;
                    topFrames.merge(top, 1, Integer::sum);
                    owners.merge(owner(stack), 1, Integer::sum);
                    sites.merge(e.getKey().getName().replaceAll("\\d+", "#") + " " + site(stack), 1, Integer::sum);
                    stacks.computeIfAbsent(top, k -> new HashMap<>()).merge(caller(stack), 1, Integer::sum);
                }
            }
            Stats.sleep(java.time.Duration.ofMillis(5));
        }
    }

    private static String owner(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String cls = frame.getClassName();
            if (cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.")) {
                continue;
            }
            for (String[] group : GROUPS) {
                if (cls.startsWith(group[0])) {
                    return group[1];
                }
            }
            return "other: " + cls.substring(0, Math.max(0, cls.lastIndexOf('.')));
        }
        return "JDK only (" + stack[0].getClassName() + ")";
    }

    /**
     * The top-most project frame with its line ({@code Class.method:line}): which statement or step of the
     * engine a sample in a library below it belongs to (counted per thread name, digits as {@code #}).
     */
    private static String site(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("io.flowfabric.")) {
                return frame.getClassName().replaceAll("^.*\\.", "") + "." + frame.getMethodName() + ":"
                        + frame.getLineNumber();
            }
        }
        return "outside the project (" + stack[0].getClassName() + ")";
    }

    /** The first frames below the top one, enough to see which code path led there. */
    private static String caller(StackTraceElement[] stack) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < Math.min(stack.length, 14); i++) {
            b.append(i == 1 ? "" : " < ").append(stack[i].getClassName().replaceAll("^.*\\.", ""))
                    .append('.').append(stack[i].getMethodName());
        }
        return b.toString();
    }

    /** For the {@code top} hottest top frames: the most frequent call path below each. */
    private Map<String, String> hotPaths(int top) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String frame : shares(topFrames, top).keySet()) {
            stacks.getOrDefault(frame, Map.of()).entrySet().stream().max(Map.Entry.comparingByValue())
                    .ifPresent(e -> m.put(frame, e.getValue() + "x " + e.getKey()));
        }
        return m;
    }

    synchronized Map<String, Object> report(int top) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sample_rounds", samples);
        m.put("running_thread_samples", busy);
        m.put("owner_share_percent", shares(owners, top));
        m.put("top_frame_share_percent", shares(topFrames, top));
        m.put("hot_paths", hotPaths(8));
        m.put("project_site_share_percent", shares(sites, top));
        return m;
    }

    synchronized void print(String label, int top) {
        System.out.printf(Locale.ROOT, "    profile %s: %d rounds, %d running-thread samples%n", label, samples, busy);
        shares(owners, top).forEach((k, v) -> System.out.printf(Locale.ROOT, "      %5.1f%%  %s%n", v, k));
        System.out.println("    top frames:");
        shares(topFrames, top).forEach((k, v) -> System.out.printf(Locale.ROOT, "      %5.1f%%  %s%n", v, k));
        System.out.println("    project sites (top-most io.flowfabric frame):");
        shares(sites, top).forEach((k, v) -> System.out.printf(Locale.ROOT, "      %5.1f%%  %s%n", v, k));
        System.out.println("    hot paths:");
        hotPaths(8).forEach((k, v) -> System.out.printf(Locale.ROOT, "      %s%n        <- %s%n", k, v));
    }

    private Map<String, Double> shares(Map<String, Integer> counts, int top) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> b.getValue() - a.getValue());
        Map<String, Double> m = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : entries.subList(0, Math.min(top, entries.size()))) {
            m.put(e.getKey(), Stats.round1(100.0 * e.getValue() / Math.max(1, busy)));
        }
        return m;
    }
}
