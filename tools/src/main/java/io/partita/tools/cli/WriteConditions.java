package io.partita.tools.cli;

import io.partita.client.RecordExistsAction;
import io.partita.client.WritePolicy;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Options shared by the write commands: {@code --policy} (what to do when the record exists or not),
 * {@code --generation} (compare-and-set) and, where it applies, {@code --ttl}.
 */
final class WriteConditions {
    private WriteConditions() {
    }

    /** {@code --policy}: the write's exists action, as put and operate take it. */
    static final class Exists {
        @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "create-or-update",
                converter = ExistsActionConverter.class,
                description = "create-or-update (merge into the record), update-only (record must exist), replace "
                        + "(drop the bins not written), create-only (record must not exist) (default: ${DEFAULT-VALUE}).")
        RecordExistsAction policy;

        WritePolicy.Builder applyTo(WritePolicy.Builder builder) {
            return builder.existsAction(policy);
        }
    }

    /** Reads {@code --policy} values such as {@code create-only}. */
    static final class ExistsActionConverter implements ITypeConverter<RecordExistsAction> {
        @Override
        public RecordExistsAction convert(String value) {
            String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (RecordExistsAction a : RecordExistsAction.values()) {
                if (a.name().equals(name)) {
                    return a;
                }
            }
            throw new TypeConversionException("'" + value
                    + "' is not one of create-or-update, update-only, replace, create-only");
        }
    }

    /** {@code --generation N}: the write applies only if the record's generation is N. */
    static final class Generation {
        @Option(names = "--generation", paramLabel = "N",
                description = "Apply only if the record's generation is N (compare-and-set); else exit 3.")
        Integer generation;

        void validate() {
            RecordCommand.checkGeneration(generation);
        }

        WritePolicy.Builder applyTo(WritePolicy.Builder policy) {
            return generation == null ? policy : policy.expectedGeneration(generation);
        }
    }

    /** {@code --ttl SECONDS}: the record's new time to live. */
    static final class Ttl {
        @Option(names = "--ttl", paramLabel = "SECONDS",
                description = "Time to live: seconds, 0 = namespace default (the default), -1 = never expire, "
                        + "-2 = keep the current TTL.")
        Long ttl;

        void validate() {
            RecordCommand.checkTtl(ttl);
        }

        WritePolicy.Builder applyTo(WritePolicy.Builder policy) {
            return ttl == null ? policy : policy.ttlSeconds(ttl);
        }
    }
}
