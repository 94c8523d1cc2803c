package io.tasque.broker.disque;

import redis.clients.jedis.HostAndPort;

/**
 * One Disque node as HELLO reports it: its id (empty for a seed not asked yet), address and priority
 * (1 = healthy; 5 = no link from the node asked; 10 = probably failing; 100 = failed or leaving).
 */
record DisqueNode(String id, String host, int port, int priority) {

    /** The priority HELLO gives a healthy node. */
    static final int HEALTHY = 1;
    /** Priorities from here on mean failed or leaving the cluster. */
    static final int GONE = 100;

    HostAndPort address() {
        return new HostAndPort(host, port);
    }

    String addressKey() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return addressKey();
    }
}
