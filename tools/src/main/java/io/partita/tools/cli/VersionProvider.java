package io.partita.tools.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version in the tools jar's manifest, or "dev" when run from classes. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"partita " + (v == null ? "dev" : v)};
    }
}
