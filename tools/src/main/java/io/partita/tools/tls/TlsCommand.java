package io.partita.tools.tls;

import io.partita.tools.cli.Durations;
import io.partita.tools.cli.ExitCodes;
import io.partita.tools.cli.VersionProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code partita tls ca|node|client}: creates the CA and issues node and client certificates as PEM files (keys
 * PKCS#8, mode 0600). Never overwrites a file.
 */
@Command(name = "tls", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"Creates a certificate authority and issues node and client certificates for TLS.",
                "Keys are EC P-256, written unencrypted as PKCS#8 PEM with mode 0600; keep them private."},
        subcommands = {TlsCommand.Ca.class, TlsCommand.Node.class, TlsCommand.Client.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"2:usage error (no subcommand given)"},
        footer = {"", "Example:",
            "  partita tls ca --out ./tls",
            "  partita tls node --ca-dir ./tls --node-id n1 --hosts 10.0.0.5,node1.example.com",
            "  partita tls client --ca-dir ./tls --name admin"})
public final class TlsCommand implements Callable<Integer> {

    /** Exit code when a file could not be written (permissions, disk full). */
    static final int CANNOT_WRITE = 1;

    private static final String EXIT_0 = "0:the files were written";
    private static final String EXIT_1 = "1:a file could not be written (permissions, disk full)";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("partita tls: missing command (ca, node, client); see "
                + "'partita tls --help'");
        return ExitCodes.USAGE;
    }

    /** {@code partita tls ca}: a new CA in DIR/ca.crt and DIR/ca.key. */
    @Command(name = "ca", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Creates a self-signed certificate authority: DIR/ca.crt (give it to every node and "
                    + "client) and DIR/ca.key (keep it private; it signs the node and client certificates)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {EXIT_0, EXIT_1, "2:usage error, or DIR already holds ca.crt or ca.key"},
            footer = {"", "Example: partita tls ca --out ./tls --validity 87600h"})
    static final class Ca implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", required = true,
                description = "Directory for ca.crt and ca.key (created if missing).")
        Path out;

        @Option(names = "--name", paramLabel = "CN", defaultValue = "partita-ca",
                description = "The CA's common name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--validity", paramLabel = "DURATION", defaultValue = "87600h", converter = Durations.class,
                description = "How long the CA is valid, e.g. 87600h (default: ${DEFAULT-VALUE}, 10 years).")
        Duration validity;

        @Override
        public Integer call() {
            return write(spec, out, "ca", (cert, key) -> {
                CertificateAuthority.create(name, validity).writeTo(cert, key);
                return List.of();
            });
        }
    }

    /** {@code partita tls node}: a node certificate signed by the CA of --ca-dir. */
    @Command(name = "node", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Issues a node certificate signed by the CA in --ca-dir: OUT/ID.crt and OUT/ID.key, for "
                    + "TLS servers and clients alike (the node accepts connections and dials its peers).",
                    "--hosts must list every address clients and peers dial: the node's advertise address (IP "
                            + "addresses and DNS names; nothing else, not even localhost, is added)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {EXIT_0, EXIT_1, "2:usage error (e.g. a host with a port), the CA files are missing or "
                    + "unusable, or OUT already holds ID.crt or ID.key"},
            footer = {"", "Example: partita tls node --ca-dir ./tls --node-id n1 --hosts 10.0.0.5,node1.example.com"})
    static final class Node implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Issuing issuing;

        @Option(names = "--node-id", paramLabel = "ID", required = true,
                description = "The node's id (node-id in its node.yaml): the certificate's CN and file names.")
        String nodeId;

        @Option(names = "--hosts", paramLabel = "HOST", split = ",", required = true,
                description = "IP addresses and DNS names the certificate names, e.g. 10.0.0.5,node1.example.com.")
        List<String> hosts;

        @Override
        public Integer call() {
            return write(spec, issuing.outDir(), nodeId, (cert, key) -> {
                IssuedCertificate issued = issuing.ca().issueNode(nodeId, hosts, issuing.validity);
                issued.writeTo(cert, key);
                return sans(issued);
            });
        }
    }

    /** The options every certificate the CA issues takes: where the CA is, where the files go, how long it lasts. */
    static final class Issuing {
        @Option(names = "--ca-dir", paramLabel = "DIR", required = true,
                description = "Directory holding ca.crt and ca.key (see 'partita tls ca').")
        Path caDir;

        @Option(names = "--out", paramLabel = "DIR", description = "Directory for the files (default: --ca-dir).")
        Path out;

        @Option(names = "--validity", paramLabel = "DURATION", defaultValue = "8760h", converter = Durations.class,
                description = "How long the certificate is valid, e.g. 8760h (default: ${DEFAULT-VALUE}, 1 year).")
        Duration validity;

        Path outDir() {
            return out == null ? caDir : out;
        }

        CertificateAuthority ca() throws CertificateFileException {
            return CertificateAuthority.load(caDir.resolve("ca.crt"), caDir.resolve("ca.key"));
        }
    }

    /** {@code partita tls client}: a client certificate signed by the CA of --ca-dir. */
    @Command(name = "client", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Issues a client certificate signed by the CA in --ca-dir: OUT/NAME.crt and OUT/NAME.key "
                    + "(TLS client authentication only, CN=NAME)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {EXIT_0, EXIT_1, "2:usage error, the CA files are missing or unusable, or OUT already "
                    + "holds NAME.crt or NAME.key"},
            footer = {"", "Example: partita tls client --ca-dir ./tls --name admin"})
    static final class Client implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Issuing issuing;

        @Option(names = "--name", paramLabel = "NAME", required = true,
                description = "The client's name: the certificate's CN and file names.")
        String name;

        @Override
        public Integer call() {
            return write(spec, issuing.outDir(), name, (cert, key) -> {
                issuing.ca().issueClient(name, issuing.validity).writeTo(cert, key);
                return List.of();
            });
        }
    }

    /** Writes a certificate and key; returns the lines to print after the file names. */
    private interface Writer {
        List<String> write(Path cert, Path key) throws IOException;
    }

    /**
     * Writes DIR/BASE.crt and DIR/BASE.key with {@code writer}, refusing existing files, and reports what it wrote or
     * why not, as an exit code.
     */
    private static int write(CommandSpec spec, Path dir, String base, Writer writer) {
        PrintWriter out = spec.commandLine().getOut();
        if (base.isBlank() || base.startsWith(".") || base.contains("/") || base.contains("\\")) {
            // The name becomes a file name: it must not leave DIR or hide the files.
            return fail(spec, "'" + base + "' cannot name the files " + base + ".crt and " + base + ".key",
                    ExitCodes.USAGE);
        }
        List<Path> files = List.of(dir.resolve(base + ".crt"), dir.resolve(base + ".key"));
        List<String> existing = new ArrayList<>();
        for (Path f : files) {
            if (Files.exists(f)) {
                existing.add(f.toString());
            }
        }
        if (!existing.isEmpty()) {
            return fail(spec, String.join(" and ", existing) + " already exist" + (existing.size() == 1 ? "s" : "")
                    + "; not overwriting: remove " + (existing.size() == 1 ? "it" : "them") + " or choose another "
                    + "directory", ExitCodes.USAGE);
        }
        List<String> extra;
        try {
            extra = writer.write(files.get(0), files.get(1));
        } catch (CertificateFileException | IllegalArgumentException e) {
            return fail(spec, e.getMessage(), ExitCodes.USAGE);
        } catch (IOException e) {
            return fail(spec, "cannot write in " + dir + ": " + reason(e) + "; fix permissions or free space, then "
                    + "run it again", CANNOT_WRITE);
        }
        for (Path f : files) {
            out.println("wrote " + f);
        }
        extra.forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }

    private static int fail(CommandSpec spec, String message, int code) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim());
        err.flush();
        return code;
    }

    /** The I/O problem without a Java class name; an access-denied exception's message is only the path. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static List<String> sans(IssuedCertificate issued) {
        try {
            return List.of("subject alternative names: "
                    + String.join(", ", SubjectAltNames.describe(issued.certificate())));
        } catch (CertificateParsingException e) {
            throw new IllegalStateException("cannot read back the certificate just issued", e);
        }
    }
}
