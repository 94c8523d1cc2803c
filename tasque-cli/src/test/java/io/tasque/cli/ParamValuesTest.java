package io.tasque.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** How {@code submit}'s {@code key=value} arguments and the duration options are read. */
class ParamValuesTest {

    @Test
    void jsonNumbersAndBooleansBecomeThoseAndEverythingElseStaysAString() {
        Map<String, Object> p = ParamValues.parse(List.of("i=42", "neg=-7", "d=0.25", "e=1e3", "t=true", "f=false",
                "zero=0", "lead=007", "plus=+1", "word=hello", "null=null", "quoted=\"1\"", "empty=", "eq=a=b",
                "huge=123456789012345678901234567890", "over=1e999", "space= 5"));
        assertEquals(42, p.get("i"));
        assertEquals(-7, p.get("neg"));
        assertEquals(0.25, p.get("d"));
        assertEquals(1000.0, p.get("e"));
        assertEquals(true, p.get("t"));
        assertEquals(false, p.get("f"));
        assertEquals(0, p.get("zero"));
        assertEquals("007", p.get("lead"));
        assertEquals("+1", p.get("plus"));
        assertEquals("hello", p.get("word"));
        assertEquals("null", p.get("null"));
        assertEquals("\"1\"", p.get("quoted"));
        assertEquals("", p.get("empty"));
        assertEquals("a=b", p.get("eq"));
        assertEquals(new BigInteger("123456789012345678901234567890"), p.get("huge"));
        assertEquals(new BigDecimal("1e999"), p.get("over"));
        assertEquals(" 5", p.get("space"));
    }

    @Test
    void argumentsWithoutAKeyOrGivenTwiceAreRefusedNamingThem() {
        assertEquals("parameter 'x' has no '='; write key=value",
                assertThrows(IllegalArgumentException.class, () -> ParamValues.parse(List.of("x"))).getMessage());
        assertEquals("parameter '=1' has an empty key; write key=value",
                assertThrows(IllegalArgumentException.class, () -> ParamValues.parse(List.of("=1"))).getMessage());
        assertEquals("parameter 'a' is given twice",
                assertThrows(IllegalArgumentException.class, () -> ParamValues.parse(List.of("a=1", "a=2"))).getMessage());
    }

    @Test
    void durationsReadShortUnitsAndIso() {
        assertEquals(Duration.ZERO, DurationConverter.parse("0"));
        assertEquals(Duration.ofMillis(250), DurationConverter.parse("250ms"));
        assertEquals(Duration.ofSeconds(60), DurationConverter.parse("60s"));
        assertEquals(Duration.ofMinutes(5), DurationConverter.parse("5m"));
        assertEquals(Duration.ofHours(2), DurationConverter.parse("2h"));
        assertEquals(Duration.ofDays(1), DurationConverter.parse("1d"));
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("PT1M30S"));
        assertEquals("'60' is not a duration; use 250ms, 60s, 5m, 2h, 1d or PT1M30S",
                assertThrows(TypeConversionException.class, () -> DurationConverter.parse("60")).getMessage());
        assertThrows(TypeConversionException.class, () -> DurationConverter.parse("PT-1S"));
    }
}
