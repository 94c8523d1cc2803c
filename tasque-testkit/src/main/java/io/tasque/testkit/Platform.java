package io.tasque.testkit;

import java.util.Locale;
import java.util.Optional;

/** Names the redis-server binary that the embedded-redis jar ships for the running OS and CPU. */
final class Platform {

    static final String SHIPPED_VERSION = "7.0.15";

    private Platform() {
    }

    /** The jar resource name for this machine, e.g. {@code redis-server-7.0.15-linux-amd64}; empty if none fits. */
    static Optional<String> shippedBinaryResource() {
        return resourceFor(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    static Optional<String> resourceFor(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String osPart;
        if (os.startsWith("linux")) {
            osPart = "linux";
        } else if (os.startsWith("mac") || os.startsWith("darwin")) {
            osPart = "darwin";
        } else {
            return Optional.empty();
        }
        String archPart;
        switch (arch) {
            case "amd64":
            case "x86_64":
                archPart = "amd64";
                break;
            case "aarch64":
            case "arm64":
                archPart = "arm64";
                break;
            case "x86":
            case "i386":
            case "i486":
            case "i586":
            case "i686":
                archPart = "386";
                break;
            default:
                return Optional.empty();
        }
        if (osPart.equals("darwin") && archPart.equals("386")) {
            return Optional.empty();
        }
        return Optional.of("redis-server-" + SHIPPED_VERSION + "-" + osPart + "-" + archPart);
    }

    static String describe() {
        return System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }
}
