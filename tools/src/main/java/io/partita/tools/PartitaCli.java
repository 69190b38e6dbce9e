package io.partita.tools;

import io.partita.tools.backup.BackupCommand;
import io.partita.tools.backup.RestoreCommand;
import io.partita.tools.cli.ClusterCommand;
import io.partita.tools.cli.DeleteCommand;
import io.partita.tools.cli.ExistsCommand;
import io.partita.tools.cli.CliUser;
import io.partita.tools.cli.ExitCodes;
import io.partita.tools.cli.GetCommand;
import io.partita.tools.cli.LocalCommand;
import io.partita.tools.cli.NodeCommand;
import io.partita.tools.cli.PutCommand;
import io.partita.tools.cli.ScanCommand;
import io.partita.tools.cli.ServerCommand;
import io.partita.tools.cli.StatusCommand;
import io.partita.tools.cli.OperateCommand;
import io.partita.tools.cli.TouchCommand;
import io.partita.tools.cli.TruncateCommand;
import io.partita.tools.cli.VersionProvider;
import io.partita.tools.kube.KubeCommand;
import io.partita.tools.stats.StatsCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import io.partita.protocol.tls.TlsConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code partita} command line: {@code server}, {@code local}, {@code status}, {@code cluster}, {@code node} and
 * the record commands. Usage errors print one line on stderr and exit 2; see each command's {@code --help} for its
 * exit codes.
 */
@Command(name = "partita", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"Partita: a Raft-replicated record store with Aerospike's data model.", ""},
        subcommands = {LocalCommand.class, ServerCommand.class, StatusCommand.class, ClusterCommand.class,
            NodeCommand.class, PutCommand.class, GetCommand.class, DeleteCommand.class, ExistsCommand.class,
            TouchCommand.class, OperateCommand.class, TruncateCommand.class, ScanCommand.class,
            StatsCommand.class, BackupCommand.class, RestoreCommand.class, KubeCommand.class,
            io.partita.tools.tls.TlsCommand.class, io.partita.tools.cli.UserCommand.class,
            io.partita.tools.cli.UserCommand.RoleCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Start a node:  partita local --dir ./data",
            "Or a cluster:  partita local --nodes 3 --dir ./cluster",
            "Then:          partita put test demo alice name=Alice age=30",
            "               partita get test demo alice",
            "               partita status",
            "Run 'partita COMMAND --help' for a command's options and exit codes."})
public final class PartitaCli implements Callable<Integer> {

    /** System property read by the logback configuration for the root log level. */
    public static final String LOG_LEVEL_PROPERTY = "partita.log.level";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("partita: missing command (local, server, status, stats, cluster, node, put, get, delete, "
                + "exists, touch, backup, restore); "
                + "see 'partita --help'");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** A configured command line: case-insensitive enums, one-line usage errors, no stack traces. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new PartitaCli());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler(PartitaCli::usageError);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof TlsConfigException) {
                // A TLS file or variable the user gave (CliTls): their input, not a crash.
                err.println(commandLine.getCommandSpec().qualifiedName() + ": TLS: " + ex.getMessage());
                err.flush();
                return ExitCodes.USAGE;
            }
            if (ex instanceof CliUser.LoginException login) {
                err.println(commandLine.getCommandSpec().qualifiedName() + ": " + login.getMessage());
                err.flush();
                return login.exitCode();
            }
            err.println(commandLine.getCommandSpec().qualifiedName() + ": unexpected error: " + ex);
            err.flush();
            return 1;
        });
        return cmd;
    }

    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(name).append(": ").append(oneLine(ex.getMessage()));
        if (ex instanceof UnmatchedArgumentException u && !cmd.getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty()) {
            List<String> suggestions = similar(u.getUnmatched().get(0), cmd.getSubcommands().keySet());
            if (!suggestions.isEmpty()) {
                line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
            }
        }
        line.append("; see '").append(name).append(" --help'");
        PrintWriter err = cmd.getErr();
        err.println(line);
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Names within edit distance 2 of {@code word} (a transposition counts 1). */
    static List<String> similar(String word, Collection<String> names) {
        List<String> result = new ArrayList<>();
        for (String name : names) {
            if (!name.equals("help") && distance(word.toLowerCase(Locale.ROOT), name) <= 2) {
                result.add(name);
            }
        }
        return result;
    }

    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String oneLine(String message) {
        return message == null ? "invalid command line" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    public static void main(String[] args) {
        boolean server = args.length > 0 && args[0].equals("server");
        if (!server && System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            // Before any logger initializes: keep library logs (on stderr) to warnings for the tool commands.
            System.setProperty(LOG_LEVEL_PROPERTY, "WARN");
        }
        System.exit(commandLine().execute(args));
    }
}
