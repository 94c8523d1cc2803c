package io.tasque.broker;

import java.util.Map;

/**
 * A broker that keeps a directory of the workers that use it: each running worker writes its entry (a small JSON
 * document, see {@link WorkerBeat}) every few seconds and removes it when it stops, so an operator's view can list
 * them. Entries of workers that died without stopping stay until someone removes them ({@link #removeWorker}).
 */
public interface WorkerDirectory extends BrokerCapability {

    /** Writes (or overwrites) the entry of worker {@code id}. */
    void beat(String id, String json);

    /** Removes the entry of worker {@code id}; true if there was one. */
    boolean removeWorker(String id);

    /** Every entry, worker id → JSON, in no particular order. */
    Map<String, String> listWorkers();
}
