package io.partita.tools.cli;

import io.partita.client.ClientConfig;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsSettings;

/**
 * TLS for every connection the {@code partita} commands make, from the environment
 * ({@link TlsSettings#fromEnvironment}):
 *
 * <pre>
 * export PARTITA_TLS_CA=/etc/partita/tls/ca.crt        # TLS on: trust nodes with certificates from this CA
 * export PARTITA_TLS_CERT=~/.partita/admin.crt         # and present this certificate (nodes with client-auth)
 * export PARTITA_TLS_KEY=~/.partita/admin.key
 * </pre>
 *
 * Unset {@code PARTITA_TLS_CA}: plaintext. A bad file or variable fails the command with exit code 2 and what is
 * wrong ({@code PartitaCli}'s error handler).
 */
public final class CliTls {
    private CliTls() {
    }

    /** The settings the process environment gives, or null for plaintext. */
    public static TlsSettings fromEnvironment() {
        return TlsSettings.fromEnvironment(System.getenv());
    }

    /** Channels for the environment's settings (plaintext without them). */
    public static ChannelFactory channels() {
        return ChannelFactory.of(fromEnvironment());
    }

    /** {@code b} with the environment's TLS settings and user ({@link CliUser}), if any. */
    public static ClientConfig.Builder apply(ClientConfig.Builder b) {
        return CliUser.apply(b);
    }
}
