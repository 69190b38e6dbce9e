package io.partita.tools.cli;

import io.partita.protocol.HostPort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks {@code --hosts} lists of the admin commands: {@code host:port} client addresses. */
public final class Hosts {
    private Hosts() {
    }

    /**
     * The addresses, trimmed, in order, without repeats.
     *
     * @throws IllegalArgumentException naming the first entry that is not {@code host:port}, or if none is given
     */
    public static List<String> parse(List<String> hosts) {
        Set<String> out = new LinkedHashSet<>();
        for (String h : hosts == null ? List.<String>of() : hosts) {
            String a = h.trim();
            if (a.isEmpty()) {
                continue;
            }
            out.add(check(a));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--hosts needs at least one host:port");
        }
        return new ArrayList<>(out);
    }

    /**
     * {@link #parse} for a command's {@code --hosts} option: a bad list is a usage error of that command.
     *
     * @throws ParameterException naming the first entry that is not {@code host:port}, or if none is given
     */
    public static List<String> parseOption(CommandSpec spec, List<String> hosts) {
        try {
            return parse(hosts);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code a} if it is {@code host:port} (IPv6 hosts in brackets) with a port in 1..65535 ({@link HostPort}). */
    static String check(String a) {
        if (!HostPort.isValid(a)) {
            throw new IllegalArgumentException("--hosts: '" + a + "' is not host:port (e.g. 127.0.0.1:7300 or "
                    + "[::1]:7300)");
        }
        return a;
    }
}
