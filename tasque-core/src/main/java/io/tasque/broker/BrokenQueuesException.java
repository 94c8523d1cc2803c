package io.tasque.broker;

import java.util.List;

/**
 * A {@link BrokerException.Kind#DATA} failure that the broker could pin on particular queues, so a caller can
 * leave those out and go on with the rest.
 */
public class BrokenQueuesException extends BrokerException {

    private final List<BrokenQueue> queues;

    /** A call that failed because {@code queues} hold data tasque cannot use. */
    public BrokenQueuesException(String broker, String message, List<BrokenQueue> queues, Throwable cause) {
        super(broker, Kind.DATA, message, cause);
        this.queues = List.copyOf(queues);
    }

    /** The queues whose data caused the failure. */
    public List<BrokenQueue> queues() {
        return queues;
    }
}
