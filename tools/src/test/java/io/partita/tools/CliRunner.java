package io.partita.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code partita} commands in this JVM and captures what they print. */
public final class CliRunner {

    /** Exit code, stdout and stderr of one command. */
    public record Result(int exitCode, String out, String err) {
        /** Non-empty lines of stderr. */
        public List<String> errLines() {
            List<String> lines = new ArrayList<>();
            for (String l : err.split("\n")) {
                if (!l.isBlank()) {
                    lines.add(l);
                }
            }
            return lines;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    private CliRunner() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = PartitaCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs a record command against {@code hosts}: {@code cmd --hosts H rest...}. */
    public static Result record(String hosts, String command, String... rest) {
        List<String> args = new ArrayList<>();
        args.add(command);
        args.add("--hosts");
        args.add(hosts);
        args.addAll(Arrays.asList(rest));
        return run(args.toArray(new String[0]));
    }
}
