package io.tasque.testkit;

/** Signals that redis-server exited at startup because its port was already bound by another process. */
final class PortInUseException extends IllegalStateException {

    private final int port;

    PortInUseException(int port, String logTail) {
        super("port " + port + " on " + LoopbackPorts.HOST + " is already in use; choose another port or use"
                + " port(0) for a free one. redis.log:\n" + logTail);
        this.port = port;
    }

    int port() {
        return port;
    }
}
