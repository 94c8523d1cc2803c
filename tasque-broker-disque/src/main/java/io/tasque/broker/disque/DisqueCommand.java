package io.tasque.broker.disque;

import java.nio.charset.StandardCharsets;
import redis.clients.jedis.commands.ProtocolCommand;

/** The Disque commands tasque sends, as Jedis protocol commands (Jedis knows only Redis's own). */
enum DisqueCommand implements ProtocolCommand {
    ADDJOB,
    GETJOB,
    ACKJOB,
    FASTACK,
    NACK,
    WORKING,
    SHOW,
    QLEN,
    QPEEK,
    QSCAN,
    JSCAN,
    HELLO,
    DEBUG,
    CLUSTER;

    private final byte[] raw = name().getBytes(StandardCharsets.US_ASCII);

    @Override
    public byte[] getRaw() {
        return raw;
    }
}
