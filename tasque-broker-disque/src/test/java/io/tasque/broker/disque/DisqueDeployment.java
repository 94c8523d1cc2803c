package io.tasque.broker.disque;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where the Disque tests run: a server named by {@value #URI_ENV}, one {@link DisqueServer} the tests start, or a
 * cluster of them joined with CLUSTER MEET. Knows how to empty every live node between tests.
 */
abstract class DisqueDeployment implements AutoCloseable {

    /** Environment variable naming a throwaway Disque the tests may flush, e.g. {@code disque://127.0.0.1:7711}. */
    static final String URI_ENV = "TASQUE_DISQUE_URI";

    /** Why the tests cannot run here, naming what to set. */
    static final String NO_DISQUE = "no Disque server: set " + URI_ENV + "=disque://host:port (a throwaway server;"
            + " the tests empty it with DEBUG FLUSHALL), or put disque-server on the PATH, or set "
            + DisqueServer.SERVER_ENV + "=/path/to/disque-server";

    /** Why the cluster tests cannot run here. */
    static final String NO_DISQUE_BINARY = "no disque-server binary: put disque-server on the PATH or set "
            + DisqueServer.SERVER_ENV + "=/path/to/disque-server (these tests start, join and kill nodes themselves, so "
            + URI_ENV + " is not enough)";

    private static final JedisClientConfig RAW = DefaultJedisClientConfig.builder()
            .socketTimeoutMillis(5000).connectionTimeoutMillis(2000)
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).autoNegotiateProtocol(false).build();

    /** The broker URI listing the nodes. */
    abstract String uri();

    /** host:port of every node that should be alive. */
    abstract List<String> liveAddresses();

    /** Stops what was started here; leaves an external Disque running. */
    @Override
    public abstract void close();

    /** Empties every live node (DEBUG FLUSHALL). */
    void flush() {
        for (String address : liveAddresses()) {
            try (Jedis j = connect(address)) {
                j.sendCommand(DisqueCommand.DEBUG, "FLUSHALL");
            }
        }
    }

    static Jedis connect(String address) {
        return new Jedis(HostAndPort.from(address), RAW);
    }

    /** The deployment these tests may use: the URI from the environment, else a server started here, else null. */
    static DisqueDeployment singleNode() {
        String uri = System.getenv(URI_ENV);
        if (uri != null && !uri.isBlank()) {
            return new External(uri.trim());
        }
        Path binary = DisqueServer.binary();
        return binary == null ? null : new Cluster(List.of(DisqueServer.start(binary)));
    }

    /** A cluster of {@code size} nodes started and joined here, or null without a binary. */
    static Cluster cluster(int size, String... extraArgs) {
        Path binary = DisqueServer.binary();
        if (binary == null) {
            return null;
        }
        List<DisqueServer> servers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            servers.add(DisqueServer.start(binary, extraArgs));
        }
        Cluster c = new Cluster(servers);
        c.join();
        return c;
    }

    /** A Disque someone else runs; the tests flush it but never stop it. */
    static final class External extends DisqueDeployment {
        private final String uri;

        External(String uri) {
            this.uri = uri;
        }

        @Override
        String uri() {
            return uri;
        }

        @Override
        List<String> liveAddresses() {
            List<String> out = new ArrayList<>();
            for (io.tasque.broker.BrokerUri.Node n : io.tasque.broker.BrokerUri.parse(uri).nodes()) {
                out.add(n.toString());
            }
            return out;
        }

        @Override
        public void close() {
        }
    }

    /** Servers started here: one, or several joined into a cluster. */
    static final class Cluster extends DisqueDeployment {
        private final List<DisqueServer> servers;

        Cluster(List<DisqueServer> servers) {
            this.servers = servers;
        }

        @Override
        String uri() {
            StringBuilder b = new StringBuilder("disque://");
            for (int i = 0; i < servers.size(); i++) {
                b.append(i == 0 ? "" : ",").append(servers.get(i).address());
            }
            return b.toString();
        }

        @Override
        List<String> liveAddresses() {
            return servers.stream().filter(DisqueServer::alive).map(DisqueServer::address).toList();
        }

        List<DisqueServer> servers() {
            return servers;
        }

        DisqueServer server(String address) {
            return servers.stream().filter(s -> s.address().equals(address)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no server at " + address));
        }

        /** CLUSTER MEET every node from the first, then waits until every node sees all of them healthy. */
        void join() {
            if (servers.size() < 2) {
                return;
            }
            for (int i = 1; i < servers.size(); i++) {
                servers.get(0).send(DisqueCommand.CLUSTER, "MEET", "127.0.0.1", Integer.toString(servers.get(i).port()));
            }
            awaitView(servers.size(), servers.size(), Duration.ofSeconds(20));
        }

        /**
         * Waits until every live node's HELLO lists {@code known} nodes of which {@code healthy} have priority 1
         * (a killed node first loses its link, then is flagged as failing).
         */
        void awaitView(int known, int healthy, Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            String last = "";
            while (System.nanoTime() < deadline) {
                boolean all = true;
                for (DisqueServer s : servers) {
                    if (!s.alive()) {
                        continue;
                    }
                    try {
                        List<?> hello = (List<?>) s.send(DisqueCommand.HELLO);
                        long ok = hello.subList(2, hello.size()).stream()
                                .filter(n -> "1".equals(Replies.str(((List<?>) n).get(3)))).count();
                        last = s.address() + " knows " + (hello.size() - 2) + " node(s), " + ok + " healthy";
                        all &= hello.size() - 2 == known && ok == healthy;
                    } catch (JedisException e) {
                        all = false;
                        last = s.address() + ": " + e.getMessage();
                    }
                }
                if (all) {
                    return;
                }
                DisqueServer.sleep(100);
            }
            throw new IllegalStateException("cluster did not settle within " + within + ": " + last);
        }

        @Override
        public void close() {
            servers.forEach(DisqueServer::close);
        }
    }
}
