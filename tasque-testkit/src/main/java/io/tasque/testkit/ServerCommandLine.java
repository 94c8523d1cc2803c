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
        List<String> argv = new ArrayList<>();
        argv.add(binary.toString());
        add(argv, "port", Integer.toString(port));
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
