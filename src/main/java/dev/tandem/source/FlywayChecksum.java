package dev.tandem.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The checksum Flyway stores in {@code flyway_schema_history.checksum} for a SQL migration: a
 * CRC-32 ({@link CRC32}) fed, line by line, with the UTF-8 bytes of each line of the script
 * without its line terminator ({@code \n}, {@code \r} or {@code \r\n}, as
 * {@link BufferedReader#readLine()} splits), a byte-order mark at the start of the first line
 * removed, and the 32-bit value read as a signed {@code int}. So it does not change with line
 * endings or a BOM, and an empty file has checksum 0.
 *
 * <p>It does not cover Flyway's Java or script-config migrations, or placeholders (Flyway hashes
 * the file before replacing them, as this does).
 */
public final class FlywayChecksum {
    private FlywayChecksum() {}

    /** The checksum of a script's text (the file decoded as UTF-8). */
    public static int of(String script) {
        CRC32 crc = new CRC32();
        try (BufferedReader r = new BufferedReader(new StringReader(script))) {
            String line = r.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            while (line != null) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
                line = r.readLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }
}
