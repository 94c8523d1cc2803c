package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {

    @Test
    void onlyTheOptionsThatChangeLatencyAreNamed() {
        assertEquals(" [-XX:TieredStopAtLevel=1 -Xmn256m]",
                JvmFlags.label(List.of("-Xms512m", "-XX:TieredStopAtLevel=1", "-Xmx2g", "-Xmn256m", "-Dx=y")));
        assertEquals("", JvmFlags.label(List.of("-Xms512m", "-Xmx2g", "-Xlog:gc")));
    }
}
