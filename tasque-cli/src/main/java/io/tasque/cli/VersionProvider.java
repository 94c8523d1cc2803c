package io.tasque.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code tasque --version}: the version in the runnable jar's manifest. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = TasqueCli.class.getPackage().getImplementationVersion();
        return new String[] {"tasque " + (v == null ? "(development build)" : v)};
    }
}
