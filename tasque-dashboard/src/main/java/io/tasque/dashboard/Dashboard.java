package io.tasque.dashboard;

import com.sun.net.httpserver.HttpServer;
import io.tasque.broker.BrokerUri;
import io.tasque.client.TasqueClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web dashboard: queues with their counts and a live chart, a queue's jobs by state, one job, the dead letter
 * (retry, delete) and the workers, served by the JDK's HTTP server from static pages in this jar and a JSON API
 * under {@code /api/}. Every API call needs the dashboard's token in the {@code X-Tasque-Token} header; actions are
 * POSTs, refused when their {@code Origin} or {@code Referer} names another host. Binds to 127.0.0.1 unless told
 * otherwise.
 *
 * <pre>{@code
 * try (Dashboard d = Dashboard.builder().broker("redis://localhost:6379").port(8080).build().start()) {
 *     System.out.println("open " + d.url());
 * }
 * }</pre>
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    /** The port when none is given: 7788. */
    public static final int DEFAULT_PORT = 7788;
    /** The address bound when none is given: loopback only. */
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** Threads that answer requests. */
    private static final int THREADS = 4;

    private final String brokerUri;
    private final int requestedPort;
    private final String bind;
    private final String token;
    private final boolean tokenGenerated;
    private HttpServer server;
    private ExecutorService threads;
    private TasqueClient client;

    private Dashboard(Builder b) {
        this.brokerUri = b.brokerUri;
        this.requestedPort = b.port;
        this.bind = b.bind;
        this.tokenGenerated = b.token == null;
        this.token = b.token != null ? b.token : newToken();
    }

    /** A builder; {@code broker(uri)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to the broker and starts serving; prints the address (and the token, when one was generated) to
     * standard output once. Idempotent.
     *
     * @throws UncheckedIOException if the address cannot be bound (the port is taken)
     */
    public synchronized Dashboard start() {
        if (server != null) {
            return this;
        }
        client = TasqueClient.connect(brokerUri);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bind), requestedPort), 0);
        } catch (IOException e) {
            client.close();
            throw new UncheckedIOException("dashboard cannot listen on " + bind + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "tasque-dashboard-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        RequestGuard guard = new RequestGuard(token);
        server.createContext("/api/", new ApiRoutes(client.admin(), client, guard, new WorkerList(client.admin(), Clock.systemUTC())));
        server.createContext("/", new StaticPages());
        server.setExecutor(threads);
        server.start();
        log.info("tasque dashboard for {} listening on {}", client.broker(), url());
        System.out.println("tasque dashboard: " + url() + (tokenGenerated ? "?token=" + token + "  (a token made at start; set one with token(…) or --token)" : ""));
        return this;
    }

    /** Stops serving and closes the broker connection; idempotent. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        server = null;
        log.info("tasque dashboard stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** The port listened on: the one given, or the one the system chose for port 0. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("dashboard not started; call start() first");
        }
        return server.getAddress().getPort();
    }

    /** The token every API call needs: the one given, or the one made at start. */
    public String token() {
        return token;
    }

    /** The start page, {@code http://<bind>:<port>/}. */
    public String url() {
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return "http://" + host + ":" + port() + "/";
    }

    /** 32 random hex digits (128 bits). */
    private static String newToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Dashboard settings; every setter checks its value and names it in the error. */
    public static final class Builder {
        private String brokerUri;
        private int port = DEFAULT_PORT;
        private String bind = DEFAULT_BIND;
        private String token;

        /** The broker URI, as for {@link TasqueClient#connect(String)}. */
        public Builder broker(String uri) {
            BrokerUri.parse(uri);
            this.brokerUri = uri;
            return this;
        }

        /** The port to listen on (default {@value #DEFAULT_PORT}); 0 lets the system choose, see {@link Dashboard#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The address to listen on (default 127.0.0.1); {@code 0.0.0.0} serves every network, guarded by the token only. */
        public Builder bind(String address) {
            Objects.requireNonNull(address, "bind address");
            try {
                InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bind address '" + address + "' is not an address of this host", e);
            }
            this.bind = address;
            return this;
        }

        /**
         * The token the pages must send with every API call (at least 8 characters, no whitespace); by default a
         * random one is made at start and printed.
         */
        public Builder token(String token) {
            if (token == null || token.length() < 8 || token.chars().anyMatch(c -> c <= ' ' || c == 127)) {
                throw new IllegalArgumentException("token must be at least 8 characters without whitespace or control characters, was "
                        + (token == null ? "null" : token.length() + " characters"));
            }
            this.token = token;
            return this;
        }

        /**
         * @throws IllegalStateException if no broker was given
         */
        public Dashboard build() {
            if (brokerUri == null) {
                throw new IllegalStateException("no broker: call broker(\"redis://host:6379\") before build()");
            }
            return new Dashboard(this);
        }
    }
}
