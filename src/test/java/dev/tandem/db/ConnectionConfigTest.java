package dev.tandem.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.TandemException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionConfigTest {
    @Test
    void acceptsBothUrlFormsAndNeverShowsThePassword() {
        ConnectionConfig c = ConnectionConfig.of("postgresql://app:s%40cret@db.example:6432/app?sslmode=require", null, null, Map.of());
        assertEquals("jdbc:postgresql://db.example:6432/app?sslmode=require", c.jdbcUrl());
        assertEquals("app", c.user());
        assertFalse(c.display().contains("s@cret"));
        assertFalse(c.toString().contains("cret"));
        ConnectionConfig j = ConnectionConfig.of("jdbc:postgresql://h/db?user=u&password=topsecret", null, null, Map.of());
        assertFalse(j.display().contains("topsecret"), j.display());
        ConnectionConfig p = ConnectionConfig.of("postgres://h/db", null, null, Map.of("TANDEM_USER", "envuser", "TANDEM_PASSWORD", "x"));
        assertEquals("envuser", p.user());
        assertEquals("jdbc:postgresql://h/db", p.jdbcUrl());
    }

    @Test
    void optionsWinOverTheUrlAndBadUrlsAreBadInput() {
        assertEquals("opt", ConnectionConfig.of("postgresql://u:p@h/db", "opt", null, Map.of()).user());
        TandemException e = assertThrows(TandemException.class, () -> ConnectionConfig.of("mysql://u:pw123@h/db", null, null, Map.of()));
        assertEquals(2, e.exitCode());
        assertFalse(e.getMessage().contains("pw123"), e.getMessage());
        assertEquals(2, assertThrows(TandemException.class, () -> ConnectionConfig.of(null, null, null, Map.of())).exitCode());
    }
}
