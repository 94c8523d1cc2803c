package io.tasque.samples.foo;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.samples.support.SampleBroker;
import java.util.List;

/**
 * Enqueue main of the foo sample: submits one {@code foo} task per argument ({@code hello} when there is none)
 * and prints each job id. {@code FooEnqueue [--broker URI] [TEXT...]}; without a broker it starts an embedded
 * Redis, private to this process, for trying the command out.
 */
public final class FooEnqueue {

    private FooEnqueue() {
    }

    public static void main(String[] args) {
        try (SampleBroker broker = SampleBroker.choose(args);
             TasqueClient client = TasqueClient.connect(broker.uri())) {
            List<String> texts = broker.arguments().isEmpty() ? List.of("hello") : broker.arguments();
            for (String text : texts) {
                String id = client.submit(Task.of("foo").set("text", text));
                System.out.println("submitted foo job " + id + ": \"" + text + "\"");
            }
        }
    }
}
