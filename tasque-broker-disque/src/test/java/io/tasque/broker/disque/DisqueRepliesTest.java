package io.tasque.broker.disque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Disque's reply shapes, as Jedis hands them over (bulk and status strings as byte[], integers as Long, arrays as
 * List), read into tasque's terms; and the queue names Go tasque uses.
 */
class DisqueRepliesTest {

    private static final String ID = "D-100b6e6d-ZzKMTIV5ecbysqcoaPCxsVUW-05a1";
    private static final String NODE = "100b6e6d" + "0".repeat(32);

    @Test
    void showIsReadByKeyNotByPosition() {
        List<Object> show = new ArrayList<>(List.of(
                b("queue"), b("__tasque__foo"), b("id"), b(ID), b("state"), b("active"), b("repl"), 1L, b("ttl"), 86396L,
                b("ctime"), 1795257496256000000L, b("delay"), 3L, b("retry"), 30L, b("nacks"), 1L,
                b("additional-deliveries"), 2L, b("nodes-delivered"), List.of(b(NODE)), b("nodes-confirmed"), List.of(),
                b("next-requeue-within"), 29000L, b("next-awake-within"), 28500L, b("body"), b("{\"Name\":\"foo\"}")));
        JobInfo job = JobInfo.parse(show);
        assertEquals(ID, job.id());
        assertEquals("__tasque__foo", job.queue());
        assertTrue(job.active());
        assertFalse(job.queued());
        assertEquals(86396, job.ttlSeconds());
        assertEquals(1795257496256L, job.ctimeMillis());
        assertEquals(3, job.delaySeconds());
        assertEquals(1, job.nacks());
        assertEquals(2, job.additionalDeliveries());
        assertArrayEquals(b("{\"Name\":\"foo\"}"), job.body());
        assertTrue(job.delayedAt(1795257496256L + 2999));
        assertFalse(job.delayedAt(1795257496256L + 3000));
        assertNull(JobInfo.parse(null));
    }

    @Test
    void getjobWithCountersGivesQueueIdBodyAndBothCounters() {
        List<Object> reply = List.of(
                List.of(b("__tasque__foo"), b(ID), b("body-1"), b("nacks"), 1L, b("additional-deliveries"), 0L),
                List.of(b("__tasque__bar"), b(ID), b("body-2")));
        List<FetchedJob> jobs = FetchedJob.parseAll(reply);
        assertEquals(2, jobs.size());
        assertEquals("__tasque__foo", jobs.get(0).queue());
        assertEquals(ID, jobs.get(0).id());
        assertArrayEquals(b("body-1"), jobs.get(0).body());
        assertEquals(1, jobs.get(0).nacks());
        assertEquals(0, jobs.get(0).additionalDeliveries());
        assertEquals(0, jobs.get(1).nacks());
        assertTrue(FetchedJob.parseAll(null).isEmpty(), "a GETJOB timeout is a null array");
    }

    @Test
    void helloOfALoneNodeNamesTheAddressDialledForItsEmptyHost() {
        DisqueNode dialled = new DisqueNode("", "disque.example", 7711, 1);
        List<Object> hello = List.of(1L, b(NODE), List.of(b(NODE), b(""), b("7711"), b("1")));
        assertEquals(List.of(new DisqueNode(NODE, "disque.example", 7711, 1)), Hello.parse(hello, dialled));
    }

    @Test
    void helloOfAClusterListsEveryNodeWithItsPriority() {
        String other = "200b6e6d" + "0".repeat(32);
        String third = "300b6e6d" + "0".repeat(32);
        DisqueNode dialled = new DisqueNode("", "127.0.0.1", 7711, 1);
        List<Object> hello = List.of(1L, b(NODE),
                List.of(b(NODE), b("127.0.0.1"), b("7711"), b("1")),
                List.of(b(other), b("127.0.0.1"), b("7712"), b("10")),
                List.of(b(third), b(""), b("7713"), b("1")));
        assertEquals(List.of(new DisqueNode(NODE, "127.0.0.1", 7711, 1), new DisqueNode(other, "127.0.0.1", 7712, 10)),
                Hello.parse(hello, dialled), "a peer without an address cannot be dialled and is left out");
    }

    @Test
    void taskNamesMapToGoTasqueQueueNamesAndBack() {
        assertEquals("__tasque__download", QueueNames.live("download"));
        assertEquals("__tasque_dead__download", QueueNames.dead("download"));
        assertEquals("download", QueueNames.taskOfLive("__tasque__download"));
        assertNull(QueueNames.taskOfLive("__tasque_dead__download"));
        assertEquals("download", QueueNames.taskOf("__tasque_dead__download"));
        assertEquals("dead__x", QueueNames.taskOf(QueueNames.live("dead__x")));
        assertNull(QueueNames.taskOf("someone-elses-queue"));
        assertNull(QueueNames.taskOf("__tasque__"));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
