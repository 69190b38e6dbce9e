package io.partita.bench;

import io.partita.client.ClientConfig;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Policy;
import io.partita.client.WritePolicy;
import io.partita.protocol.ResultCode;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code partita bench}: a closed-loop load generator. Options are in {@link BenchOptions}; see bench/README.md.
 *
 * <p>Exit codes: 0 after a completed run (even if operations failed: see the report), 2 for bad options (one line
 * on stderr), 1 if the cluster cannot be reached or does not serve the namespace, or an output file cannot be
 * written.
 */
public final class LoadGenerator {

    /** Name of the command in messages and in the reported command line. */
    public static final String COMMAND = "partita bench";

    private LoadGenerator() {
    }

    /** Runs the generator and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the generator: report to {@code out}, progress and errors to {@code err}.
     *
     * @return the process exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.InvalidOptionsException e) {
            err.println(COMMAND + ": " + e.getMessage() + " (see --help)");
            return 2;
        }
        if (options.helpRequested()) {
            BenchOptions.usage(out);
            return 0;
        }
        try {
            return run(options, ReportFormatter.commandLine(COMMAND, args), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(COMMAND + ": interrupted");
            return 1;
        }
    }

    private static int run(BenchOptions options, String command, PrintStream out, PrintStream err)
        throws InterruptedException {
        long seed = options.seed() != null ? options.seed() : new SecureRandom().nextLong();
        Workload workload = options.workload();
        String hosts = String.join(",", options.hosts());
        PartitaClient client;
        try {
            client = PartitaClient.connect(clientConfig(options));
        } catch (RuntimeException e) {
            err.println(COMMAND + ": cannot reach the cluster at " + hosts + ": " + e.getMessage());
            return 1;
        }
        try (client) {
            String problem = probe(client, workload, options.namespace(), hosts);
            if (problem != null) {
                err.println(COMMAND + ": " + problem);
                return 1;
            }
            SplittableRandom random = new SplittableRandom(seed);
            LoadSummary load = null;
            if (options.load()) {
                load = new Loader(client, workload, options.keys(), options.threads(), options.progressInterval(),
                    err).run(random.split());
            }
            HistogramLog log = null;
            if (options.histogramLog() != null) {
                try {
                    log = HistogramLog.open(options.histogramLog());
                } catch (IOException e) {
                    err.println(COMMAND + ": cannot write --histogram-log " + options.histogramLog() + ": " + e);
                    return 1;
                }
            }
            BenchRun.Result result;
            try {
                result = new BenchRun(client, workload, options.keys(), options.threads(), options.warmup(),
                    options.duration(), options.progressInterval(), err, log).run(random.split(), command);
            } finally {
                if (log != null) {
                    try {
                        log.close();
                    } catch (IOException e) {
                        err.println(COMMAND + ": " + e.getMessage());
                    }
                }
            }
            Report report = report(options, seed, load, result, command);
            out.print(ReportFormatter.format(report));
            out.flush();
            if (options.json() != null) {
                try {
                    JsonReport.write(report, options.json());
                } catch (IOException e) {
                    err.println(COMMAND + ": cannot write --json " + options.json() + ": " + e);
                    return 1;
                }
            }
            return 0;
        }
    }

    /** Builds the report of a finished run. */
    static Report report(BenchOptions options, long seed, LoadSummary load, BenchRun.Result result, String command) {
        Tally t = result.tally();
        OpSummary get = new OpSummary(OpType.GET.label(), result.latencyUs().get(OpType.GET), t.misses(OpType.GET),
            t.errorsByCode(OpType.GET));
        OpSummary put = new OpSummary(OpType.PUT.label(), result.latencyUs().get(OpType.PUT), t.misses(OpType.PUT),
            t.errorsByCode(OpType.PUT));
        return new Report(options.describe(seed), load, result.seconds(),
            List.of(get, put, OpSummary.total("total", get, put)), command);
    }

    private static ClientConfig clientConfig(BenchOptions options) {
        return ClientConfig.builder()
            .seeds(options.hosts())
            .defaultPolicy(Policy.builder().timeoutMs(options.timeoutMs()).build())
            .defaultWritePolicy(WritePolicy.builder().timeoutMs(options.timeoutMs()).build())
            .build();
    }

    /** One read before the run, so a missing namespace or a cluster without leaders fails fast; null if fine. */
    private static String probe(PartitaClient client, Workload workload, String namespace, String hosts) {
        try {
            client.exists(workload.key(0));
            return null;
        } catch (PartitaException e) {
            if (e.resultCode() == ResultCode.NAMESPACE_NOT_FOUND) {
                return "namespace '" + namespace + "' is not configured on the cluster at " + hosts;
            }
            return "the cluster at " + hosts + " does not serve requests (" + Tally.label(e.resultCode()) + "): "
                + e.getMessage();
        }
    }
}
