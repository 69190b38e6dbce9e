package io.partita.tools.cli;

import picocli.CommandLine.Parameters;

/** Base of the commands on a whole namespace or one set of it (scan, truncate): NAMESPACE [SET]. */
public abstract class NamespaceCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAMESPACE", description = "Namespace, e.g. test.")
    String namespace;

    @Parameters(index = "1", paramLabel = "SET", arity = "0..1", description = "Set name; absent = every set.")
    String set;
}
