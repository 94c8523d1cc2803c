package io.tasque.testkit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A redis-server version as reported by {@code redis-server --version}, comparable by major and minor. */
record RedisVersion(String text, int major, int minor) {

    private static final Pattern VERSION = Pattern.compile("\\bv=(\\d+)\\.(\\d+)(?:\\.\\d+)*");

    /**
     * Parses output such as {@code Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64}.
     *
     * @throws IllegalArgumentException if the output carries no {@code v=X.Y[.Z]}
     */
    static RedisVersion parse(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        if (!m.find()) {
            throw new IllegalArgumentException("no 'v=<version>' in redis-server --version output '"
                    + versionOutput + "'");
        }
        String text = m.group().substring(2);
        return new RedisVersion(text, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    boolean atLeast(int wantedMajor, int wantedMinor) {
        return major > wantedMajor || (major == wantedMajor && minor >= wantedMinor);
    }
}
