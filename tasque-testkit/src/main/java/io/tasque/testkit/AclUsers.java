package io.tasque.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The least-privilege ACL users of {@code docs/SECURITY.md}, made on a test server from the document's own
 * {@code ACL SETUSER <user> …} lines, so a test fails when the documented lines stop being enough. Each user's
 * password is {@code pw-<user>} (the document's {@code >CHANGE-ME} replaced).
 */
public final class AclUsers {

    private final RedisServer redis;
    private final Path doc;

    /** Users on {@code redis} from {@code doc}, the path of SECURITY.md as seen from the test's working directory. */
    public AclUsers(RedisServer redis, Path doc) {
        this.redis = redis;
        this.doc = doc;
    }

    /**
     * Runs the document's line for {@code user}, then {@code extraRules} (e.g. {@code -evalsha} to take a command
     * away); returns the user's broker URI.
     *
     * @throws IllegalStateException if the document has no line, or more than one, for the user
     */
    public String create(String user, String... extraRules) {
        String prefix = "ACL SETUSER " + user + " ";
        List<String> lines;
        try {
            lines = Files.readAllLines(doc).stream().filter(l -> l.startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + doc.toAbsolutePath(), e);
        }
        if (lines.size() != 1) {
            throw new IllegalStateException(lines.size() + " lines for " + user + " in " + doc.toAbsolutePath() + ", expected one");
        }
        List<String> args = new ArrayList<>();
        for (String word : lines.get(0).trim().split("\\s+")) {
            args.add(word.equals(">CHANGE-ME") ? ">pw-" + user : word);
        }
        args.addAll(Arrays.asList(extraRules));
        redis.command(args.toArray(String[]::new));
        return uri(user);
    }

    /** The broker URI of {@code user} on the server. */
    public String uri(String user) {
        return "redis://" + user + ":pw-" + user + "@127.0.0.1:" + redis.port();
    }
}
