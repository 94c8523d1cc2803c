package io.tasque.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test handlers saw, as "task name: text" lines, in order. */
final class Recorder {

    private final List<String> seen = new CopyOnWriteArrayList<>();

    void saw(String taskName, String text) {
        seen.add(taskName + ": " + text);
    }

    List<String> seen() {
        return seen;
    }
}
