package io.tasque.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tasque.testkit.DocComments;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every public and protected type and member of this module has a doc comment. */
class DocCommentsTest {

    @Test
    void everythingPublishedIsDocumented() {
        assertEquals(List.of(), DocComments.missing(Path.of("src/main/java")));
    }
}
