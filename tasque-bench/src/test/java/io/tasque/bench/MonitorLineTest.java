package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MonitorLineTest {

    @Test
    void aClientCommandHasItsAddressTimeAndLowerCaseName() {
        MonitorLine l = MonitorLine.parse("1700000000.123456 [0 127.0.0.1:50312] \"EVALSHA\" \"ab12\" \"1\" \"k\"");
        assertEquals(1_700_000_000_123_456L, l.micros());
        assertEquals("127.0.0.1:50312", l.client());
        assertEquals("evalsha", l.command());
        assertFalse(l.inScript());
    }

    @Test
    void aCommandRunByAScriptIsMarkedLua() {
        MonitorLine l = MonitorLine.parse("1700000000.000001 [5 lua] \"lpop\" \"tasque:{q}:ready\"");
        assertEquals("lua", l.client());
        assertEquals("lpop", l.command());
        assertTrue(l.inScript());
    }

    @Test
    void quotesInArgumentsDoNotConfuseTheName() {
        MonitorLine l = MonitorLine.parse("1.5 [0 [::1]:6000] \"set\" \"k\" \"{\\\"v\\\":1}\"");
        assertEquals("set", l.command());
        assertEquals("[::1]:6000", l.client());
        assertEquals(1_500_000L, l.micros());
    }

    @Test
    void theOkThatStartsTheStreamAndJunkAreNotLines() {
        assertNull(MonitorLine.parse("OK"));
        assertNull(MonitorLine.parse(""));
        assertNull(MonitorLine.parse("x.y [0 lua] \"get\""));
    }
}
