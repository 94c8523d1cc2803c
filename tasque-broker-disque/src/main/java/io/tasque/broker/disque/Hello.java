package io.tasque.broker.disque;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a HELLO reply: {@code [1, my-id, [id, host, port, priority]…]}, every node field a bulk string. A lone
 * node that met no other does not know its own address and reports an empty host: the address dialled stands in.
 */
final class Hello {

    private Hello() {
    }

    /** The nodes of the cluster as {@code dialled} sees them; a node with an unknown address is left out. */
    static List<DisqueNode> parse(Object reply, DisqueNode dialled) {
        List<?> r = Replies.list(reply);
        if (r.size() < 2) {
            throw new IllegalStateException("HELLO reply from " + dialled + " has " + r.size() + " elements; expected at least 2");
        }
        String self = Replies.str(r.get(1));
        List<DisqueNode> nodes = new ArrayList<>(r.size() - 2);
        for (int i = 2; i < r.size(); i++) {
            List<?> n = Replies.list(r.get(i));
            String id = Replies.str(n.get(0));
            String host = Replies.str(n.get(1));
            int port = (int) Replies.num(n.get(2));
            int priority = (int) Replies.num(n.get(3));
            if (host == null || host.isEmpty()) {
                if (!id.equals(self)) {
                    continue;
                }
                host = dialled.host();
                port = dialled.port();
            }
            nodes.add(new DisqueNode(id, host, port, priority));
        }
        return nodes;
    }
}
