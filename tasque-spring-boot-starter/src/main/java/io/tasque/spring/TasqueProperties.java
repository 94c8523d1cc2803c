package io.tasque.spring;

import io.tasque.client.TasqueClient;
import io.tasque.worker.Worker;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tasque.*} settings of the auto-configured client and worker. The defaults are the library's
 * ({@link TasqueClient}, {@link Worker}), written as literals so the configuration metadata shows them to IDEs; a
 * test holds them equal.
 */
@ConfigurationProperties("tasque")
public class TasqueProperties {

    /** The default broker URI. */
    public static final String DEFAULT_BROKER = "redis://localhost:6379";

    /**
     * Broker URI shared by the client and the worker: redis://, rediss://, redis-cluster://, redis-sentinel://,
     * or disque:// with tasque-broker-disque on the class path.
     */
    private String broker = DEFAULT_BROKER;

    private final Client client = new Client();

    private final WorkerSettings worker = new WorkerSettings();

    /** The broker URI ({@code tasque.broker}). */
    public String getBroker() {
        return broker;
    }

    /** Sets the broker URI. */
    public void setBroker(String broker) {
        this.broker = broker;
    }

    /** The client's settings ({@code tasque.client.*}). */
    public Client getClient() {
        return client;
    }

    /** The worker's settings ({@code tasque.worker.*}). */
    public WorkerSettings getWorker() {
        return worker;
    }

    /** Settings of the {@link TasqueClient} bean. */
    public static class Client {

        /** Longest time a submit may take before it fails. */
        private Duration enqueueTimeout = Duration.ofSeconds(5);

        /** How long a job may wait and be retried before it is dead-lettered; 0 keeps it forever. */
        private Duration ttl = Duration.ofHours(24);

        /** How long a submit may take before it fails. */
        public Duration getEnqueueTimeout() {
            return enqueueTimeout;
        }

        /** Sets how long a submit may take. */
        public void setEnqueueTimeout(Duration enqueueTimeout) {
            this.enqueueTimeout = enqueueTimeout;
        }

        /** How long a job may wait and retry before it is dead-lettered. */
        public Duration getTtl() {
            return ttl;
        }

        /** Sets the jobs' TTL. */
        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }
    }

    /** Settings of the auto-started {@link Worker} that runs the {@link TasqueHandler} beans. */
    public static class WorkerSettings {

        /** Whether to run a worker for the @TasqueHandler beans; false leaves the application a submitter only. */
        private boolean enabled = true;

        /** Handler threads: jobs run at the same time. */
        private int concurrency = 10;

        /** How long the context's close waits for running jobs before handing the rest back to their queues. */
        private Duration gracePeriod = Duration.ofSeconds(30);

        /** How long a fetched job is leased; renewed while its handler runs. */
        private Duration lease = Duration.ofSeconds(30);

        /** Runs of a failing job before it is dead-lettered. */
        private int maxAttempts = 10;

        /** Whether the application runs a worker (when it has handlers). */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether the application runs a worker. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The worker's handler threads. */
        public int getConcurrency() {
            return concurrency;
        }

        /** Sets the worker's handler threads. */
        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        /** How long running jobs get to finish when the context closes. */
        public Duration getGracePeriod() {
            return gracePeriod;
        }

        /** Sets how long running jobs get to finish when the context closes. */
        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }

        /** How long a job is leased to the worker, renewed while it runs. */
        public Duration getLease() {
            return lease;
        }

        /** Sets the lease. */
        public void setLease(Duration lease) {
            this.lease = lease;
        }

        /** Runs a job gets before the dead letter. */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /** Sets the runs a job gets before the dead letter. */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }
    }
}
