package io.tasque.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks a currently free TCP port on 127.0.0.1, never the default Redis port. */
final class LoopbackPorts {

    static final String HOST = "127.0.0.1";
    static final int DEFAULT_REDIS_PORT = 6379;

    private LoopbackPorts() {
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the loopback address " + HOST, e);
        }
    }

    /** Binds an ephemeral port, releases it and returns its number; the caller must cope with losing a race for it. */
    static int pickFree() {
        for (int attempt = 0; attempt < 10; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind any free port on " + HOST
                        + "; check that the loopback interface is up", e);
            }
            if (port != DEFAULT_REDIS_PORT) {
                return port;
            }
        }
        throw new IllegalStateException("the OS kept handing out port " + DEFAULT_REDIS_PORT
                + " as a free port; set a fixed port with RedisServer.builder().port(...)");
    }
}
