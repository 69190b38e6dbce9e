package io.partita.tools.cli;

import io.partita.client.ClientConfig;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Policy;
import io.partita.client.WritePolicy;
import io.partita.protocol.ResultCode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that talk to the cluster through the Java client (the record commands, truncate): connection
 * options, and the mapping of outcomes to exit codes and one-line error messages.
 */
public abstract class ClientCommand implements Callable<Integer> {

    /** Default of {@code --hosts}. */
    public static final String DEFAULT_HOSTS = "127.0.0.1:7300";

    @Spec
    CommandSpec spec;

    @Option(names = "--hosts", paramLabel = "HOST:PORT", split = ",", defaultValue = DEFAULT_HOSTS,
            description = "Client address(es) host:port of one or more nodes (default: ${DEFAULT-VALUE}).")
    List<String> hosts;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "2000",
            description = "Time budget of the request in milliseconds, retries included (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Override
    public final Integer call() {
        if (timeoutMs <= 0) {
            throw usage("--timeout must be a positive number of milliseconds, got " + timeoutMs);
        }
        ClientConfig config;
        try {
            config = CliTls.apply(ClientConfig.builder())
                    .seeds(hosts)
                    .connectTimeoutMs(timeoutMs)
                    .defaultPolicy(Policy.builder().timeoutMs(timeoutMs).build())
                    .defaultWritePolicy(WritePolicy.builder().timeoutMs(timeoutMs).build())
                    .build();
            prepare();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try (PartitaClient client = PartitaClient.connect(config)) {
            return run(client);
        } catch (PartitaException e) {
            return fail(e.resultCode(), e.getMessage());
        } catch (IllegalArgumentException e) {
            // Rejected by the client before sending, e.g. an unsupported value.
            return fail(ResultCode.PARAMETER_ERROR, e.getMessage());
        }
    }

    /** Checks the command line before connecting; throws IllegalArgumentException for a usage error. */
    abstract void prepare();

    /** Runs the request; returns the exit code. */
    abstract int run(PartitaClient client);

    /** A write policy with this command's timeout. */
    WritePolicy.Builder writePolicy() {
        return WritePolicy.builder().timeoutMs(timeoutMs);
    }

    /** A read policy with this command's timeout. */
    Policy readPolicy() {
        return Policy.builder().timeoutMs(timeoutMs).build();
    }

    /** Prints one JSON line (or block) on stdout. */
    void print(String json) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(json);
        out.flush();
    }

    /** Prints {@code partita CMD: CODE: message} on stderr; returns the exit code of {@code code}. */
    int fail(ResultCode code, String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + code + ": " + oneLine(message));
        err.flush();
        return ExitCodes.of(code);
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code message} on one line (line breaks and their indentation become one space), for stderr. */
    public static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
