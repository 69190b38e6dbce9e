package io.partita.tools.pods;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Policy;
import io.partita.client.Record;
import io.partita.client.WritePolicy;
import java.util.Map;

/**
 * A client in its own JVM, started with the pods' hosts file ({@code -Djdk.net.hosts.file}) so that it resolves their
 * DNS names as the nodes do; the test JVM cannot change how it resolves names once started.
 *
 * <p>{@code write SEEDS PREFIX FROM TO} puts {@code PREFIX-i} = {v: i} for i in [FROM, TO); {@code verify SEEDS PREFIX
 * FROM TO} reads them back. Prints one line per failure; exit 0 when all succeeded. TLS and the user come from the
 * environment, as for the {@code partita} commands ({@code PARTITA_TLS_*}, {@code PARTITA_USER}/{@code
 * PARTITA_PASSWORD}).
 */
public final class PodClientMain {
    private PodClientMain() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        String[] seeds = args[1].split(",");
        String prefix = args[2];
        int from = Integer.parseInt(args[3]);
        int to = Integer.parseInt(args[4]);
        int failures = 0;
        try (PartitaClient client = PartitaClient.connect(ClientConfig.builder().seeds(seeds)
                .fromEnvironment(System.getenv())
                .defaultPolicy(Policy.builder().timeoutMs(20_000).build())
                .defaultWritePolicy(WritePolicy.builder().timeoutMs(20_000).build()).build())) {
            for (int i = from; i < to; i++) {
                Key key = new Key("test", "pods", prefix + "-" + i);
                try {
                    if (mode.equals("write")) {
                        client.put(key, Map.of("v", (long) i));
                    } else {
                        Record r = client.get(key);
                        if (r == null || r.getLong("v") != i) {
                            failures++;
                            System.out.println("MISSING " + prefix + "-" + i + ": " + r);
                        }
                    }
                } catch (RuntimeException e) {
                    failures++;
                    System.out.println("FAILED " + mode + " " + prefix + "-" + i + ": " + e);
                }
            }
        }
        System.out.println(mode + " " + prefix + " [" + from + ", " + to + "): " + failures + " failures");
        System.exit(failures == 0 ? 0 : 1);
    }
}
