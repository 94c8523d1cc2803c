package io.tasque.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;

/**
 * Connection settings shared by every broker: how long a command may take, how many connections to pool,
 * the key prefix, the dead-letter cap, the clock that stamps job times and, for {@code rediss://}, TLS trust. Immutable; build with
 * {@link #builder()}.
 */
public final class BrokerOptions {

    /** How long a command (an enqueue, an ack) may take before it fails: 5 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** How long opening a connection may take: 2 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Pooled connections per broker: 16. */
    public static final int DEFAULT_POOL_SIZE = 16;
    /** First segment of every key: {@code tasque}. */
    public static final String DEFAULT_KEY_PREFIX = "tasque";
    /** Most dead jobs kept per queue before the oldest are trimmed: 100 000. */
    public static final int DEFAULT_MAX_DEAD_PER_QUEUE = 100_000;

    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final int poolSize;
    private final String keyPrefix;
    private final int maxDeadPerQueue;
    private final int replicas;
    private final Clock clock;
    private final SSLSocketFactory sslSocketFactory;
    private final SSLParameters sslParameters;

    private BrokerOptions(Builder b) {
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.poolSize = b.poolSize;
        this.keyPrefix = b.keyPrefix;
        this.maxDeadPerQueue = b.maxDeadPerQueue;
        this.replicas = b.replicas;
        this.clock = b.clock;
        this.sslSocketFactory = b.sslSocketFactory;
        this.sslParameters = b.sslParameters;
    }

    /** Every default. */
    public static BrokerOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().commandTimeout(commandTimeout).connectTimeout(connectTimeout).poolSize(poolSize)
                .keyPrefix(keyPrefix).maxDeadPerQueue(maxDeadPerQueue).replicas(replicas).clock(clock)
                .sslSocketFactory(sslSocketFactory).sslParameters(sslParameters);
    }

    /** How long one command may take before it fails. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** How long opening a connection may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The most pooled connections. */
    public int poolSize() {
        return poolSize;
    }

    /** The prefix of every key (default {@code tasque}). */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The most dead jobs kept per queue; the oldest are trimmed. */
    public int maxDeadPerQueue() {
        return maxDeadPerQueue;
    }

    /** The clock times are taken from (a test's manual clock, else the system's). */
    public Clock clock() {
        return clock;
    }

    /** For {@code rediss://}: the factory whose trust decides which server certificates are accepted; null = default. */
    public SSLSocketFactory sslSocketFactory() {
        return sslSocketFactory;
    }

    /** For {@code rediss://}: protocols, cipher suites, endpoint identification; null = default (hostname checked). */
    public SSLParameters sslParameters() {
        return sslParameters;
    }

    /**
     * How many replicas must confirm a submit's jobs, and an ack, before the call returns ({@code WAIT}); 0 (the
     * default) returns as soon as the master has them. A broker URI's {@code ?replicas=N} sets it too.
     */
    public int replicas() {
        return replicas;
    }

    @Override
    public String toString() {
        return "commandTimeout=" + commandTimeout + ", connectTimeout=" + connectTimeout + ", poolSize=" + poolSize
                + ", keyPrefix=" + keyPrefix + ", maxDeadPerQueue=" + maxDeadPerQueue + (replicas == 0 ? "" : ", replicas=" + replicas)
                + (sslSocketFactory == null ? "" : ", sslSocketFactory=custom") + (sslParameters == null ? "" : ", sslParameters=custom");
    }

    /** Builder with validation in every setter. */
    public static final class Builder {
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int poolSize = DEFAULT_POOL_SIZE;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private int maxDeadPerQueue = DEFAULT_MAX_DEAD_PER_QUEUE;
        private int replicas;
        private Clock clock = Clock.systemUTC();
        private SSLSocketFactory sslSocketFactory;
        private SSLParameters sslParameters;

        /** How long one command may take before it fails. */
        public Builder commandTimeout(Duration d) {
            this.commandTimeout = positive("commandTimeout", d);
            return this;
        }

        /** How long opening a connection may take. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive("connectTimeout", d);
            return this;
        }

        /** The most pooled connections. */
        public Builder poolSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("poolSize must be >= 1, was " + n);
            }
            this.poolSize = n;
            return this;
        }

        /** The prefix of every key. */
        public Builder keyPrefix(String prefix) {
            if (prefix == null || prefix.isEmpty() || prefix.contains("{") || prefix.contains("}")
                    || prefix.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw new IllegalArgumentException("keyPrefix '" + prefix + "' must be non-empty, without whitespace or braces");
            }
            this.keyPrefix = prefix;
            return this;
        }

        /** The most dead jobs kept per queue. */
        public Builder maxDeadPerQueue(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxDeadPerQueue must be >= 1, was " + n);
            }
            this.maxDeadPerQueue = n;
            return this;
        }

        /**
         * Replicas that must confirm each submit and ack ({@code WAIT n}, for at most the command timeout); a
         * call they do not all confirm in time fails naming how many did. 0 (the default) waits for none.
         */
        public Builder replicas(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("replicas must be >= 0, was " + n);
            }
            this.replicas = n;
            return this;
        }

        /** The clock times are taken from. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * For {@code rediss://}: the TLS socket factory to use, e.g. from an {@code SSLContext} initialised with
         * your trust store (default: the URI's {@code cacert} or {@code truststore}, else the JDK's trust store).
         * Not together with those URI parameters. Null restores the default.
         */
        public Builder sslSocketFactory(SSLSocketFactory factory) {
            this.sslSocketFactory = factory;
            return this;
        }

        /**
         * For {@code rediss://}: TLS parameters applied before the handshake (default: endpoint identification
         * "HTTPS", so the server's certificate must name the host of the URI). Null restores the default.
         */
        public Builder sslParameters(SSLParameters parameters) {
            this.sslParameters = parameters;
            return this;
        }

        /** The options as set. */
        public BrokerOptions build() {
            return new BrokerOptions(this);
        }

        static Duration positive(String what, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be > 0, was " + d);
            }
            return d;
        }
    }
}
