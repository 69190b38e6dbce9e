package io.partita.bench;

import io.partita.bench.driver.Target;
import io.partita.client.ClientConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator's command-line options. {@link #parse} reads and validates them; every problem is reported
 * as one {@link InvalidOptionsException} with a one-line message.
 */
@Command(name = "partita bench", sortOptions = false, usageHelpAutoWidth = true,
    description = "YCSB-style load generator: each thread keeps one operation in flight against the store (closed "
        + "loop, or paced at --target-rate) and records its latency.")
public final class BenchOptions {

    @Option(names = "--target", defaultValue = "partita", paramLabel = "STORE",
        description = "Store to drive: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private Target target;

    @Option(names = "--hosts", split = ",", defaultValue = "127.0.0.1:7300", paramLabel = "HOST:PORT",
        description = "Client addresses of one or more nodes (Partita: seeds; etcd: the members' client URLs). "
            + "Default: ${DEFAULT-VALUE}.")
    private List<String> hosts;

    @Option(names = "--namespace", defaultValue = "test", paramLabel = "NAME",
        description = "Namespace. Default: ${DEFAULT-VALUE}.")
    private String namespace;

    @Option(names = "--set", defaultValue = "bench", paramLabel = "NAME",
        description = "Set name. Default: ${DEFAULT-VALUE}.")
    private String set;

    @Option(names = {"--records", "--keys"}, defaultValue = "100000", paramLabel = "N",
        description = "Records loaded and read: user keys 0..N-1 (longs); inserts add N, N+1, ... "
            + "Default: ${DEFAULT-VALUE}.")
    private long records;

    @Option(names = "--workload", paramLabel = "A-F",
        description = "YCSB core workload: A 50/50 read/update, B 95/5 read/update, C read only, D 95/5 read/insert "
            + "(latest), E 95/5 scan/insert, F 50/50 read/read-modify-write. Zipfian keys unless D. "
            + "Default: --read-percent's read/update mix, uniform keys.")
    private CoreWorkload coreWorkload;

    @Option(names = "--mix", paramLabel = "OP=W[,OP=W...]",
        description = "Operation weights (normalized), OP one of read, update, insert, scan, rmw; replaces "
            + "the workload's mix, e.g. read=90,update=10.")
    private String mixSpec;

    @Option(names = "--distribution", paramLabel = "DIST",
        description = "Key distribution: ${COMPLETION-CANDIDATES}. Default: the workload's, else uniform.")
    private Distribution distributionOption;

    @Option(names = "--scan-length", defaultValue = "100", paramLabel = "N",
        description = "A scan reads 1..N records (uniform), as YCSB's workload E. Default: ${DEFAULT-VALUE}.")
    private int scanLength;

    @Option(names = "--value-size", defaultValue = "100", paramLabel = "BYTES",
        description = "Size of each string bin written, in bytes (ASCII). Default: ${DEFAULT-VALUE}.")
    private int valueSize;

    @Option(names = "--bins", defaultValue = "1", paramLabel = "N",
        description = "Bins per record (bin0, bin1, ...). Default: ${DEFAULT-VALUE}.")
    private int bins;

    @Option(names = "--threads", defaultValue = "16", paramLabel = "N",
        description = "Worker threads, each with one request in flight. Default: ${DEFAULT-VALUE}.")
    private int threads;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "TIME",
        description = "Recorded run time (500ms, 30s, 2m, ...). Default: ${DEFAULT-VALUE}.")
    private Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "TIME",
        description = "Run time before the recorded part, not reported. Default: ${DEFAULT-VALUE}.")
    private Duration warmup;

    @Option(names = "--target-rate", defaultValue = "0", paramLabel = "OPS/S",
        description = "Total operations per second to aim for, spread over the threads; latency is then measured from "
            + "each operation's intended start (coordinated omission corrected). 0: closed loop. "
            + "Default: ${DEFAULT-VALUE}.")
    private double targetRate;

    @Option(names = "--read-percent", paramLabel = "0-100",
        description = "Shortcut for --mix read=P,update=100-P (not with --workload or --mix). Default: 50.")
    private Integer readPercent;

    @Option(names = "--load",
        description = "Write every key once before the timed run (otherwise reads of unwritten keys are misses).")
    private boolean load;

    @Option(names = "--timeout-ms", defaultValue = "2000", paramLabel = "MS",
        description = "Total time budget of one operation, retries included. Default: ${DEFAULT-VALUE}.")
    private long timeoutMs;

    @Option(names = "--unary",
        description = "Partita only: send each operation as its own unary gRPC call instead of on the client's "
            + "Multiplex streams (many operations per network message), to compare the two.")
    private boolean unary;

    @Option(names = "--histogram-log", paramLabel = "FILE",
        description = "Also write interval latency histograms (HdrHistogram log, microseconds, one tag per operation).")
    private Path histogramLog;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the final report as JSON.")
    private Path json;

    @Option(names = "--server-pids", split = ",", paramLabel = "PID",
        description = "Processes of the store under test: the report gives their CPU time and context switches per "
            + "operation over the measured window (Linux /proc), beside the load generator's own.")
    private List<Long> serverPids = List.of();

    @Option(names = "--seed", paramLabel = "N",
        description = "Seed of key choice, op mix and values (default: random, printed in the report).")
    private Long seed;

    @Option(names = "--progress-interval", defaultValue = "5s", converter = DurationConverter.class,
        paramLabel = "TIME", description = "Period of the progress line on stderr. Default: ${DEFAULT-VALUE}.")
    private Duration progressInterval;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** The mix and distribution, resolved from --workload, --mix, --read-percent and --distribution. */
    private Workload workload;

    /** A problem with the command line; the message is one line. */
    public static final class InvalidOptionsException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidOptionsException(String message) {
            super(message);
        }
    }

    /**
     * Parses and validates {@code args}.
     *
     * @throws InvalidOptionsException naming the first bad option
     */
    public static BenchOptions parse(String... args) throws InvalidOptionsException {
        BenchOptions o = new BenchOptions();
        try {
            commandLine(o).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new InvalidOptionsException(firstLine(e.getMessage()));
        }
        if (!o.help) {
            o.validate();
        }
        return o;
    }

    private void validate() throws InvalidOptionsException {
        atLeast("--records", records, 1);
        atLeast("--value-size", valueSize, 1);
        atLeast("--bins", bins, 1);
        atLeast("--threads", threads, 1);
        atLeast("--timeout-ms", timeoutMs, 1);
        atLeast("--scan-length", scanLength, 1);
        if (readPercent != null && (readPercent < 0 || readPercent > 100)) {
            throw new InvalidOptionsException("--read-percent must be between 0 and 100, got " + readPercent);
        }
        if (readPercent != null && (coreWorkload != null || mixSpec != null)) {
            throw new InvalidOptionsException("--read-percent cannot be combined with --workload or --mix (use --mix "
                + "read=P,update=Q)");
        }
        if (!(targetRate >= 0) || Double.isInfinite(targetRate)) {
            throw new InvalidOptionsException("--target-rate must be >= 0, got " + targetRate);
        }
        if (unary && target != Target.PARTITA) {
            throw new InvalidOptionsException("--unary applies to --target partita only");
        }
        if (duration.isZero()) {
            throw new InvalidOptionsException("--duration must be greater than 0");
        }
        if (progressInterval.isZero()) {
            throw new InvalidOptionsException("--progress-interval must be greater than 0");
        }
        try {
            ClientConfig.builder().seeds(hosts);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionsException("--hosts: " + e.getMessage());
        }
        OperationMix mix;
        try {
            mix = mixSpec != null ? OperationMix.parse(mixSpec)
                : coreWorkload != null ? coreWorkload.mix()
                : OperationMix.readPercent(readPercent != null ? readPercent : 50);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionsException("--mix: " + e.getMessage());
        }
        Distribution distribution = distributionOption != null ? distributionOption
            : coreWorkload != null ? coreWorkload.distribution() : Distribution.UNIFORM;
        if (mix.share(OpType.SCAN) > 0 && !target.canScan()) {
            throw new InvalidOptionsException("the " + target + " driver cannot scan, so a mix with scans ("
                + (coreWorkload == CoreWorkload.E && mixSpec == null ? "workload E" : mix) + ") cannot run against it");
        }
        try {
            workload = new Workload(namespace, set, bins, valueSize, mix, distribution, scanLength);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionsException("--namespace/--set: " + e.getMessage());
        }
        checkParentExists("--histogram-log", histogramLog);
        checkParentExists("--json", json);
    }

    private static void atLeast(String option, long value, long min) throws InvalidOptionsException {
        if (value < min) {
            throw new InvalidOptionsException(option + " must be >= " + min + ", got " + value);
        }
    }

    private static void checkParentExists(String option, Path file) throws InvalidOptionsException {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new InvalidOptionsException(option + ": directory " + parent + " does not exist");
        }
    }

    private static String firstLine(String message) {
        String m = message == null ? "invalid arguments" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    /** Prints the usage help. */
    public static void usage(PrintStream out) {
        commandLine(new BenchOptions()).usage(out);
    }

    private static CommandLine commandLine(BenchOptions o) {
        return new CommandLine(o).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** The parameters as reported: option name (without dashes) to value, in option order. */
    public Map<String, Object> describe(long effectiveSeed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target.toString());
        m.put("hosts", String.join(",", hosts));
        m.put("namespace", namespace);
        m.put("set", set);
        m.put("workload", coreWorkload != null && mixSpec == null ? coreWorkload.name() : "custom");
        m.put("mix", workload.mix().toString());
        m.put("distribution", workload.distribution().toString());
        m.put("records", records);
        m.put("value-size", valueSize);
        m.put("bins", bins);
        m.put("threads", threads);
        m.put("target-rate", targetRate > 0 ? targetRate : "none (closed loop)");
        m.put("duration", duration);
        m.put("warmup", warmup);
        m.put("load", load);
        m.put("timeout-ms", timeoutMs);
        m.put("seed", effectiveSeed);
        return m;
    }

    /** Whether {@code --help} was given (then nothing else was validated). */
    public boolean helpRequested() {
        return help;
    }

    /** The store to drive. */
    public Target target() {
        return target;
    }

    public List<String> hosts() {
        return hosts;
    }

    public String namespace() {
        return namespace;
    }

    public String set() {
        return set;
    }

    /** The number of loaded records ({@code --records}, alias {@code --keys}). */
    public long records() {
        return records;
    }

    public int valueSize() {
        return valueSize;
    }

    public int bins() {
        return bins;
    }

    public int threads() {
        return threads;
    }

    public Duration duration() {
        return duration;
    }

    public Duration warmup() {
        return warmup;
    }

    /** Total operations per second to aim for, or 0 for a closed loop. */
    public double targetRate() {
        return targetRate;
    }

    public boolean load() {
        return load;
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    /** Whether Partita operations go as unary calls rather than multiplexed ({@code --unary}). */
    public boolean unary() {
        return unary;
    }

    /** The histogram log file, or {@code null}. */
    public Path histogramLog() {
        return histogramLog;
    }

    /** The JSON report file, or {@code null}. */
    public Path json() {
        return json;
    }

    /** The store's processes whose cost is reported (possibly none). */
    public List<Long> serverPids() {
        return serverPids;
    }

    /** The seed given, or {@code null} for a random one. */
    public Long seed() {
        return seed;
    }

    public Duration progressInterval() {
        return progressInterval;
    }

    /** The workload these options describe (not available after {@code --help}). */
    public Workload workload() {
        return workload;
    }
}
