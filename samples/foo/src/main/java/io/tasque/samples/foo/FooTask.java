package io.tasque.samples.foo;

import io.tasque.Task;

/** Names the {@code foo} task and its one parameter, and builds tasks of that shape. */
public final class FooTask {

    /** The task name; it is also the queue the worker fetches. */
    public static final String NAME = "foo";
    /** The parameter holding the text to print. */
    public static final String TEXT = "text";

    private FooTask() {
    }

    /** A {@code foo} task that prints {@code text}. */
    public static Task of(String text) {
        return Task.of(NAME).set(TEXT, text);
    }
}
