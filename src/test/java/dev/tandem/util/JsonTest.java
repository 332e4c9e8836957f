package dev.tandem.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<Object> list(Object... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    private static void assertRoundTrip(Object value) {
        assertEquals(value, Json.parse(Json.write(value)), "compact");
        assertEquals(value, Json.parse(Json.pretty(value)), "pretty");
    }

    @Test
    void writesScalars() {
        assertEquals("null", Json.write(null));
        assertEquals("true", Json.write(true));
        assertEquals("false", Json.write(false));
        assertEquals("42", Json.write(42));
        assertEquals("-7", Json.write(-7L));
        assertEquals("9223372036854775807", Json.write(Long.MAX_VALUE));
        assertEquals("123456789012345678901234567890", Json.write(new BigInteger("123456789012345678901234567890")));
        assertEquals("\"x\"", Json.write("x"));
        assertEquals("\"c\"", Json.write('c'));
        assertEquals("\"ACCESS EXCLUSIVE\"", Json.write(dev.tandem.plan.LockLevel.ACCESS_EXCLUSIVE));
        assertEquals("null", Json.write(Optional.empty()));
        assertEquals("\"v\"", Json.write(Optional.of("v")));
    }

    @Test
    void writesDoublesWithoutExponentSurprises() {
        assertEquals("1.5", Json.write(1.5));
        assertEquals("3.0", Json.write(3.0));
        assertEquals("-0.25", Json.write(-0.25));
        assertEquals("0.0", Json.write(0.0));
        assertEquals("-0.0", Json.write(-0.0));
        assertEquals("10000000.0", Json.write(1e7));
        assertEquals("0.001", Json.write(0.001));
        assertEquals("123456789.125", Json.write(123456789.125));
        assertEquals("0.1", Json.write(0.1f));
        assertEquals("0.1", Json.write(new BigDecimal("0.1")));
        // very small or large magnitudes keep an exponent, still valid JSON
        assertEquals(1e-9, Json.parse(Json.write(1e-9)));
        assertEquals(1e300, Json.parse(Json.write(1e300)));
        assertEquals(Double.MIN_VALUE, Json.parse(Json.write(Double.MIN_VALUE)));
        assertEquals(Double.MAX_VALUE, Json.parse(Json.write(Double.MAX_VALUE)));
    }

    @Test
    void rejectsNonFiniteNumbers() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Float.NEGATIVE_INFINITY)));
    }

    @Test
    void rejectsValuesItCannotRepresent() {
        record Point(int x, int y) {}
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Point(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new int[] {1}));
        Map<String, Object> nullKey = new java.util.HashMap<>();
        nullKey.put(null, 1);
        assertThrows(IllegalArgumentException.class, () -> Json.write(nullKey));
        Map<Object, Object> clash = new LinkedHashMap<>();
        clash.put(1, "a");
        clash.put("1", "b");
        assertThrows(IllegalArgumentException.class, () -> Json.write(clash), "would be a duplicate key");
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThrows(IllegalArgumentException.class, () -> Json.write(cyclic));
    }

    @Test
    void sharedButAcyclicContainersAreFine() {
        List<Object> shared = list(1, 2);
        assertEquals("[[1,2],[1,2]]", Json.write(List.of(shared, shared)));
    }

    @Test
    void escapesStrings() {
        assertEquals("\"a\\\"b\\\\c\"", Json.write("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\"", Json.write("\n\r\t\b\f"));
        assertEquals("\"\\u0000\\u001f\\u0001\"", Json.write("\u0000\u001f\u0001"));
        assertEquals("\"\\u2028\\u2029\"", Json.write("\u2028\u2029"));
        assertEquals("\"é中😀/\"", Json.write("é中😀/"), "unicode and / are written as they are");
        assertEquals("\"\\ud800x\"", Json.write("\ud800x"), "a lone surrogate is escaped");
        assertEquals("\"\\udc00\"", Json.write("\udc00"));
    }

    @Test
    void keepsMapOrderAndStringifiesKeys() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", 2);
        m.put(3, "three");
        assertEquals("{\"z\":1,\"a\":2,\"3\":\"three\"}", Json.write(m));
        Object parsed = Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(((Map<?, ?>) parsed).keySet()));
    }

    @Test
    void prettyPrintsWithTwoSpaces() {
        Object v = map("a", 1, "b", list(true, null), "c", map(), "d", list());
        assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {},\n  \"d\": []\n}", Json.pretty(v));
        assertEquals("{\"a\":1,\"b\":[true,null],\"c\":{},\"d\":[]}", Json.write(v));
    }

    @Test
    void roundTripsNestedStructures() {
        assertRoundTrip(map(
                "id", "0001_x",
                "nested", map("list", list(1L, -2L, 3.25, -0.5, "s", true, false, null, list(), map()),
                        "deeper", list(list(list(map("k", "v"))))),
                "empty_string", "",
                "big", Long.MAX_VALUE,
                "small", Long.MIN_VALUE,
                "decimal", 12345.678,
                "tiny", 1.0e-12,
                "unicode", "naïve café — 中文 — 😀 — \u2028\u2029",
                "controls", "\u0000\u0001\u0007\u001b\u001f\u007f\n\r\t\b\f",
                "quotes", "\"'\\/`",
                "lone surrogates", "\ud83d \ude00"));
        assertRoundTrip(list());
        assertRoundTrip(map());
        assertRoundTrip("just a string");
        assertRoundTrip(0L);
        assertRoundTrip(null);
    }

    @Test
    void parsesScalarsToDocumentedTypes() {
        assertEquals(1L, Json.parse("1"));
        assertEquals(-12L, Json.parse(" -12 "));
        assertEquals(0L, Json.parse("0"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals(1.5, Json.parse("1.5"));
        assertEquals(-0.001, Json.parse("-1e-3"));
        assertEquals(100.0, Json.parse("1E+2"));
        assertEquals(1.0, Json.parse("1.0"));
        assertInstanceOf(Double.class, Json.parse("1e2"));
        assertEquals(true, Json.parse("true"));
        assertEquals(false, Json.parse("false"));
        assertNull(Json.parse("null"));
        assertEquals("a", Json.parse("\t\r\n \"a\" \n"));
        assertInstanceOf(LinkedHashMap.class, Json.parse("{}"));
        assertInstanceOf(ArrayList.class, Json.parse("[]"));
    }

    @Test
    void parsesEscapes() {
        assertEquals("\"\\/\b\f\n\r\t", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
        assertEquals("é", Json.parse("\"\\u00e9\""));
        assertEquals("é", Json.parse("\"\\u00E9\""));
        assertEquals("😀", Json.parse("\"\\ud83d\\ude00\""), "surrogate pair");
        assertEquals("😀", Json.parse("\"\\uD83D\\uDE00\""));
        assertEquals("x😀y", Json.parse("\"x\\uD83D\\uDE00y\""));
        assertEquals("\u0000", Json.parse("\"\\u0000\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "nul", "tru", "True", "NULL", "01", "-01", "00", "1.", ".5", "-", "+1", "1e", "1e+", "0x10",
        "NaN", "Infinity", "1e400", "\"abc", "\"abc\\\"", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\u١٢٣٤\"",
        "\"tab\there\"", "\"line\nbreak\"", "[1,]", "[,1]", "[1 2]", "[", "]", "{", "}", "{\"a\"}", "{\"a\":}",
        "{\"a\":1,}", "{a:1}", "{'a':1}", "{\"a\":1 \"b\":2}", "{\"a\":1}}", "[1]x", "1 2", "\"a\" \"b\"",
        "{\"a\":1,\"a\":2}", "// comment\n1", "\uFEFF1", "[1]\u00a0", "tru e"
    })
    void rejectsInvalidJson(String text) {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(text));
        assertTrue(e.offset() >= 0 && e.offset() <= text.length(), "offset within input: " + e.offset());
        assertTrue(e.getMessage().contains("offset " + e.offset()), e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e);
    }

    @Test
    void errorsPointAtTheProblem() {
        assertEquals(3, assertThrows(Json.ParseException.class, () -> Json.parse("[1]x")).offset());
        assertEquals(1, assertThrows(Json.ParseException.class, () -> Json.parse("[01]")).offset());
        assertEquals(4, assertThrows(Json.ParseException.class, () -> Json.parse("[\"ab\\q\"]")).offset(), "the backslash");
        assertEquals(1, assertThrows(Json.ParseException.class, () -> Json.parse("[\"abc")).offset(), "start of the unterminated string");
        assertEquals(7, assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\":1,\"a\":2}")).offset(), "the duplicate key");
        assertTrue(assertThrows(Json.ParseException.class, () -> Json.parse("[1,]")).getMessage().contains("offset 3"));
    }

    @Test
    void limitsNesting() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThrows(Json.ParseException.class, () -> Json.parse(deep));
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(ok));
        Object nested = List.of();
        for (int i = 0; i < Json.MAX_DEPTH + 10; i++) {
            nested = List.of(nested);
        }
        Object tooDeep = nested;
        assertThrows(IllegalArgumentException.class, () -> Json.write(tooDeep));
    }

    @Test
    void quoteMatchesWrite() {
        assertEquals(Json.write("a\"\n"), Json.quote("a\"\n"));
    }
}
