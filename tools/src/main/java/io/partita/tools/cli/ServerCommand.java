package io.partita.tools.cli;

import io.partita.server.PartitaServerMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code partita server --conf FILE}: runs a node in this process. */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs a Partita node in this process until it is stopped (Ctrl-C or SIGTERM).",
                "The configuration file is documented in conf/node.yaml."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the node was stopped", "1:the node failed to start",
                "2:bad command line or configuration"},
        footer = {"", "Example: partita server --conf conf/node.yaml"})
public final class ServerCommand implements Callable<Integer> {

    @Option(names = {"-c", "--conf"}, paramLabel = "FILE", required = true,
            description = "The node's configuration file (YAML).")
    Path conf;

    @Override
    public Integer call() {
        return PartitaServerMain.run(new String[] {"--conf", conf.toString()});
    }
}
