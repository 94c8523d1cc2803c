package io.tasque.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

class RedisExtensionLifecycleTest {

    private static volatile long seenPid;
    private static volatile Path seenDataDir;

    @Test
    void theServerIsKilledAndItsDataDirDeletedWhenTheClassFinishes() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(SampleClass.class))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();

        launcher.execute(request, listener);

        TestExecutionSummary summary = listener.getSummary();
        assertEquals(1, summary.getTestsSucceededCount(), () -> "sample class failed: " + summary.getFailures());
        assertNotNull(seenDataDir);
        assertFalse(ProcessHandle.of(seenPid).map(ProcessHandle::isAlive).orElse(false),
                "redis-server pid " + seenPid + " outlived its test class");
        assertFalse(Files.exists(seenDataDir), seenDataDir + " outlived its test class");
    }

    /** Run only through the launcher above; surefire skips nested classes. */
    @WithRedis
    static class SampleClass {

        @Test
        void recordsItsServer(RedisServer server) {
            seenPid = server.pid();
            seenDataDir = server.dataDir();
        }
    }
}
