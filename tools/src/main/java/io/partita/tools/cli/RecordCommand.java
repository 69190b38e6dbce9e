package io.partita.tools.cli;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Base of the record commands (put, get, delete, exists, touch): connection options, the NAMESPACE SET KEY
 * arguments, and the mapping of outcomes to exit codes and one-line error messages.
 */
public abstract class RecordCommand implements Callable<Integer> {

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

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "string",
            description = "How KEY is read: string, long (a 64-bit integer) or bytes (hex, e.g. 0a1b) "
                    + "(default: ${DEFAULT-VALUE}).")
    UserKeys keyType;

    @Parameters(index = "0", paramLabel = "NAMESPACE", description = "Namespace, e.g. test.")
    String namespace;

    @Parameters(index = "1", paramLabel = "SET", description = "Set name; \"\" for none.")
    String set;

    @Parameters(index = "2", paramLabel = "KEY", description = "User key (see --key-type).")
    String keyText;

    @Override
    public final Integer call() {
        if (timeoutMs <= 0) {
            throw usage("--timeout must be a positive number of milliseconds, got " + timeoutMs);
        }
        Key key;
        ClientConfig config;
        try {
            key = keyType.key(namespace, set, keyText);
            config = ClientConfig.builder()
                    .seeds(hosts)
                    .connectTimeoutMs(timeoutMs)
                    .defaultPolicy(Policy.builder().timeoutMs(timeoutMs).build())
                    .defaultWritePolicy(WritePolicy.builder().timeoutMs(timeoutMs).build())
                    .build();
            validate();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try (PartitaClient client = PartitaClient.connect(config)) {
            return run(client, key);
        } catch (PartitaException e) {
            return fail(e.resultCode(), e.getMessage());
        } catch (IllegalArgumentException e) {
            // Rejected by the client before sending, e.g. an unsupported value.
            return fail(ResultCode.PARAMETER_ERROR, e.getMessage());
        }
    }

    /** Checks command-specific options before connecting; throws IllegalArgumentException for a usage error. */
    void validate() {
    }

    /** Runs the request; returns the exit code. */
    abstract int run(PartitaClient client, Key key);

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

    /** Prints that the record does not exist; returns {@link ExitCodes#NOT_FOUND}. */
    int notFound() {
        return fail(ResultCode.KEY_NOT_FOUND, "record " + describeKey() + " does not exist");
    }

    String describeKey() {
        return namespace + "/" + set + "/" + keyText;
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code message} on one line (line breaks and their indentation become one space), for stderr. */
    public static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /** Checks a {@code --generation} value (1 or more). */
    static void checkGeneration(Integer generation) {
        if (generation != null && generation < 1) {
            throw new IllegalArgumentException("--generation must be 1 or more (the record's current generation), got "
                    + generation);
        }
    }

    /** Checks a {@code --ttl} value (seconds, 0, -1 or -2). */
    static void checkTtl(Long ttl) {
        if (ttl != null && ttl < WritePolicy.TTL_DONT_UPDATE) {
            throw new IllegalArgumentException("--ttl must be seconds > 0, 0 (namespace default), -1 (never expire) or "
                    + "-2 (keep the current TTL), got " + ttl);
        }
    }
}
