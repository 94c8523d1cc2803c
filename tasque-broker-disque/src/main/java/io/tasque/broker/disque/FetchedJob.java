package io.tasque.broker.disque;

import java.util.ArrayList;
import java.util.List;

/**
 * One job as {@code GETJOB … WITHCOUNTERS} delivers it: {@code [queue, id, body, "nacks", n,
 * "additional-deliveries", n]}. NACKs count hand-backs; additional deliveries count requeues after a lease ran out.
 */
record FetchedJob(String queue, String id, byte[] body, long nacks, long additionalDeliveries) {

    /** Parses a GETJOB or QPEEK reply (a null reply means no job); counters read 0 when absent. */
    static List<FetchedJob> parseAll(Object reply) {
        List<FetchedJob> out = new ArrayList<>();
        for (Object o : Replies.list(reply)) {
            List<?> job = Replies.list(o);
            long nacks = 0;
            long deliveries = 0;
            for (int i = 3; i + 1 < job.size(); i += 2) {
                String key = Replies.str(job.get(i));
                if ("nacks".equals(key)) {
                    nacks = Replies.num(job.get(i + 1));
                } else if ("additional-deliveries".equals(key)) {
                    deliveries = Replies.num(job.get(i + 1));
                }
            }
            out.add(new FetchedJob(Replies.str(job.get(0)), Replies.str(job.get(1)), (byte[]) job.get(2), nacks, deliveries));
        }
        return out;
    }
}
