package io.partita.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the bench/*.sh server scripts ({@code etcd-cluster.sh}, {@code redis-server.sh}, {@code memcached.sh})
 * for the end-to-end tests, and tells whether the server binary it needs is already installed (the tests never let
 * a script install one: they are skipped instead).
 */
record ServerScript(String name) {

    private static final Path BENCH = Path.of(System.getProperty("basedir", "."));

    /** What one run of the script did. */
    record Result(int code, String stdout, String stderr) {
        String output() {
            return "stdout:\n" + stdout + "stderr:\n" + stderr;
        }
    }

    /** Runs {@code bash bench/<name> args}, output captured in files under {@code dir}; fails after 90 s. */
    Result run(Path dir, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "script", ".out");
        Path err = Files.createTempFile(dir, "script", ".err");
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = BENCH.resolve(name).toString();
        System.arraycopy(args, 0, command, 2, args.length);
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " " + String.join(" ", args) + " did not finish in 90 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * Whether the script will find {@code binary} without installing it: {@code $envOverride} if set, else on the
     * PATH or in /usr/bin.
     */
    static boolean installed(String binary, String envOverride) {
        String bin = System.getenv(envOverride);
        if (bin != null && !bin.isEmpty()) {
            return Files.isExecutable(Path.of(bin));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).filter(d -> !d.isEmpty())
            .anyMatch(d -> Files.isExecutable(Path.of(d, binary))) || Files.isExecutable(Path.of("/usr/bin", binary));
    }
}
