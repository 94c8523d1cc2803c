package io.tasque.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the redis-server argument list: loopback only, foreground, no RDB snapshots, optional AOF. */
final class ServerCommandLine {

    static final String LOG_FILE = "redis.log";

    private ServerCommandLine() {
    }

    /**
     * @param appendFsync null for no AOF, else the {@code appendfsync} policy
     * @param extraArgs   name/value pairs appended as {@code --name value}
     */
    static List<String> build(Path binary, int port, Path dataDir, String appendFsync, List<String[]> extraArgs) {
        return build(binary, port, dataDir, appendFsync, extraArgs, null);
    }

    /**
     * @param tls when not null, {@code port} is the TLS port and the plain-text port is off; clients need no
     *            certificate of their own
     */
    static List<String> build(Path binary, int port, Path dataDir, String appendFsync, List<String[]> extraArgs,
            TlsCertificates tls) {
        List<String> argv = new ArrayList<>();
        argv.add(binary.toString());
        if (tls == null) {
            add(argv, "port", Integer.toString(port));
        } else {
            add(argv, "port", "0");
            add(argv, "tls-port", Integer.toString(port));
            add(argv, "tls-cert-file", tls.serverCert().toString());
            add(argv, "tls-key-file", tls.serverKey().toString());
            add(argv, "tls-ca-cert-file", tls.caCert().toString());
            add(argv, "tls-auth-clients", "no");
        }
        add(argv, "bind", LoopbackPorts.HOST);
        add(argv, "dir", dataDir.toString());
        add(argv, "save", "");
        add(argv, "appendonly", appendFsync == null ? "no" : "yes");
        if (appendFsync != null) {
            add(argv, "appendfsync", appendFsync);
        }
        add(argv, "daemonize", "no");
        add(argv, "protected-mode", "no");
        add(argv, "logfile", dataDir.resolve(LOG_FILE).toString());
        for (String[] pair : extraArgs) {
            add(argv, pair[0], pair[1]);
        }
        return argv;
    }

    private static void add(List<String> argv, String name, String value) {
        argv.add("--" + name);
        argv.add(value);
    }
}
