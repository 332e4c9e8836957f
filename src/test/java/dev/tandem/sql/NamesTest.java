package dev.tandem.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void shortNamesAreKeptAsTheyAre() {
        assertEquals("tandem_sync_0001_x", Names.bounded("tandem_sync", "0001_x"));
    }

    @Test
    void longNamesAreBoundedAndStayDistinct() {
        String a = Names.bounded("tg", "0001_" + "a".repeat(70), "public", "users");
        String b = Names.bounded("tg", "0001_" + "a".repeat(71), "public", "users");
        assertTrue(a.getBytes(StandardCharsets.UTF_8).length <= 63);
        assertTrue(b.getBytes(StandardCharsets.UTF_8).length <= 63);
        assertNotEquals(a, b, "same 63-byte prefix, different names");
        String multibyte = Names.bounded("ü".repeat(40));
        assertTrue(multibyte.getBytes(StandardCharsets.UTF_8).length <= 63);
        assertTrue(multibyte.startsWith("üü"), "never splits a character");
    }

    @Test
    void quotingDoublesQuotesAndRefusesNul() {
        assertEquals("\"a\"\"b;c\"", Ident.quote("a\"b;c"));
        assertEquals("'it''s'", Ident.literal("it's"));
        assertThrows(IllegalArgumentException.class, () -> Ident.quote("a\0b"));
        assertThrows(IllegalArgumentException.class, () -> Ident.quote(""));
    }
}
