package io.partita.tools.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partita.client.Key;
import io.partita.client.OperateResult;
import io.partita.client.Operation;
import io.partita.client.PartitaClient;
import io.partita.client.WritePolicy;
import io.partita.protocol.OpCode;
import io.partita.protocol.ReturnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code partita operate}: several operations on one record, atomically, with every result. */
@Command(name = "operate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs operations on one record atomically and in order (Aerospike's operate) and prints "
                + "{\"generation\": N, \"results\": [...]}, one result per operation.",
                "",
                "Each OPERATION is a JSON array: the operation's name, then (except for record operations) the bin, "
                        + "then its arguments: '[\"add\",\"visits\",1]', '[\"list-append\",\"pages\",\"/home\"]', "
                        + "'[\"map-get-by-key\",\"scores\",\"alice\",\"value\"]', '[\"read\",\"visits\"]', "
                        + "'[\"read\"]' (every bin), '[\"touch\"]', '[\"delete\"]'.",
                "",
                "Names are the operation codes in lower case with dashes (read, read-header, write, add, append, "
                        + "prepend, touch, delete, list-*, map-*; get = read, put = write); arguments are as the "
                        + "Java client's Operation, ListOperation and MapOperation take them. A return type may be "
                        + "given by name (none, index, reverse-index, rank, reverse-rank, count, key, value, "
                        + "key-value, exists; prefix 'inverted-' to invert), and write flags may be left out (0). "
                        + "list-set-order and map-set-order take unordered, ordered (lists) or key-ordered (maps): "
                        + "'[\"map-set-order\",\"prices\",\"key-ordered\"]'.",
                "",
                "A call with a write goes through the log once under --policy, --generation and --ttl; a call of "
                        + "reads only is a linearizable read. If one operation cannot apply, nothing is applied."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.HELP_0, ExitCodes.HELP_1, ExitCodes.HELP_2, ExitCodes.HELP_3, ExitCodes.HELP_4},
        footer = {"", "Example: partita operate test demo alice '[\"add\",\"visits\",1]' '[\"read\",\"visits\"]'"})
public final class OperateCommand extends RecordCommand {
    /** Operations whose last argument is write flags, which the command line may leave out. */
    private static final Set<OpCode> TRAILING_FLAGS = Set.of(OpCode.LIST_APPEND, OpCode.LIST_APPEND_ITEMS,
            OpCode.LIST_INSERT, OpCode.LIST_INSERT_ITEMS, OpCode.LIST_SET, OpCode.LIST_INCREMENT, OpCode.MAP_PUT,
            OpCode.MAP_PUT_ITEMS, OpCode.MAP_INCREMENT);
    private static final Set<OpCode> RECORD_OPERATIONS = Set.of(OpCode.READ_HEADER, OpCode.TOUCH, OpCode.DELETE);
    private static final Map<String, Integer> RETURN_TYPES = Map.of("none", ReturnType.NONE,
            "index", ReturnType.INDEX, "reverse-index", ReturnType.REVERSE_INDEX, "rank", ReturnType.RANK,
            "reverse-rank", ReturnType.REVERSE_RANK, "count", ReturnType.COUNT, "key", ReturnType.KEY,
            "value", ReturnType.VALUE, "key-value", ReturnType.KEY_VALUE, "exists", ReturnType.EXISTS);
    private static final String INVERTED = "inverted-";

    @Parameters(index = "3..*", paramLabel = "OPERATION", arity = "1..*",
            description = "Operations as JSON arrays, e.g. '[\"add\",\"visits\",1]'.")
    List<String> operationArgs;

    @Mixin
    WriteConditions.Exists exists;

    @Mixin
    WriteConditions.Generation generation;

    @Mixin
    WriteConditions.Ttl ttl;

    private Operation[] operations;

    @Override
    void validate() {
        generation.validate();
        ttl.validate();
        List<Operation> parsed = new ArrayList<>();
        for (String text : operationArgs) {
            parsed.add(parse(text));
        }
        operations = parsed.toArray(Operation[]::new);
    }

    /** One operation from its JSON array form; IllegalArgumentException (a usage error) says what is wrong. */
    static Operation parse(String text) {
        if (!(BinValues.parseValue(text) instanceof List<?> array) || array.isEmpty()
                || !(array.get(0) instanceof String name)) {
            throw new IllegalArgumentException("an operation is a JSON array starting with its name, e.g. "
                    + "'[\"add\",\"visits\",1]'; got " + text);
        }
        OpCode code = code(name);
        List<Object> rest = new ArrayList<>(array.subList(1, array.size()));
        String bin = "";
        boolean takesBin = !RECORD_OPERATIONS.contains(code) && !(code == OpCode.READ && rest.isEmpty());
        if (takesBin) {
            if (rest.isEmpty() || !(rest.get(0) instanceof String b) || b.isEmpty()) {
                throw new IllegalArgumentException(name + " needs a bin name after its name, e.g. '[\"" + name
                        + "\",\"bin\",...]'");
            }
            bin = b;
            rest.remove(0);
        }
        if (!rest.isEmpty() && name.contains("-by-") && rest.get(rest.size() - 1) instanceof String rt) {
            rest.set(rest.size() - 1, (long) returnType(rt));
        }
        if (TRAILING_FLAGS.contains(code) && rest.size() == flagsPosition(code)) {
            rest.add(0L);
        }
        if ((code == OpCode.LIST_SET_ORDER || code == OpCode.MAP_SET_ORDER) && rest.size() == 1
                && rest.get(0) instanceof String order) {
            rest.set(0, order(code, order));
        }
        return Operation.of(code, bin, rest.toArray());
    }

    /** Where the flags argument sits: the arguments before it, per OpCode's documentation. */
    private static int flagsPosition(OpCode code) {
        return switch (code) {
            case LIST_APPEND, LIST_APPEND_ITEMS, MAP_PUT_ITEMS -> 1;
            default -> 2;
        };
    }

    private static OpCode code(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("get")) {
            return OpCode.READ;
        }
        if (n.equals("put")) {
            return OpCode.WRITE;
        }
        try {
            return OpCode.valueOf(n.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown operation '" + name + "'; see --help for the names");
        }
    }

    /** An order by name: unordered, ordered (lists) or key-ordered (maps). */
    private static long order(OpCode code, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String ordered = code == OpCode.LIST_SET_ORDER ? "ordered" : "key-ordered";
        if (n.equals("unordered")) {
            return 0;
        }
        if (n.equals(ordered)) {
            return 1;
        }
        throw new IllegalArgumentException("unknown order '" + name + "'; one of unordered, " + ordered);
    }

    private static int returnType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int flags = 0;
        if (n.startsWith(INVERTED)) {
            flags = ReturnType.INVERTED;
            n = n.substring(INVERTED.length());
        }
        Integer type = RETURN_TYPES.get(n);
        if (type == null) {
            throw new IllegalArgumentException("unknown return type '" + name + "'; one of " + RETURN_TYPES.keySet()
                    .stream().sorted().toList() + ", optionally prefixed with 'inverted-'");
        }
        return type | flags;
    }

    @Override
    int run(PartitaClient client, Key key) {
        WritePolicy.Builder p = ttl.applyTo(generation.applyTo(exists.applyTo(writePolicy())));
        OperateResult result = client.operate(p.build(), key, operations);
        ObjectNode out = RecordJson.field("generation", result.generation());
        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        for (Object r : result.results()) {
            results.add(RecordJson.value(r));
        }
        out.set("results", results);
        print(RecordJson.oneLine(out));
        return ExitCodes.OK;
    }
}
