package io.partita.tools.cli;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.WritePolicy;
import io.partita.protocol.ResultCode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Base of the record commands (put, get, delete, exists, touch, operate): the NAMESPACE SET KEY arguments on top of
 * the connection options of {@link ClientCommand}.
 */
public abstract class RecordCommand extends ClientCommand {

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

    private Key key;

    @Override
    final void prepare() {
        key = keyType.key(namespace, set, keyText);
        validate();
    }

    @Override
    final int run(PartitaClient client) {
        return run(client, key);
    }

    /** Checks command-specific options before connecting; throws IllegalArgumentException for a usage error. */
    void validate() {
    }

    /** Runs the request; returns the exit code. */
    abstract int run(PartitaClient client, Key key);

    /** Prints that the record does not exist; returns {@link ExitCodes#NOT_FOUND}. */
    int notFound() {
        return fail(ResultCode.KEY_NOT_FOUND, "record " + describeKey() + " does not exist");
    }

    String describeKey() {
        return namespace + "/" + set + "/" + keyText;
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
