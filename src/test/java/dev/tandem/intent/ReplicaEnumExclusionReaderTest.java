package dev.tandem.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code set_replica_identity}, the enum intents and {@code add_exclusion}: fields and errors at {@code file:line:column}. */
class ReplicaEnumExclusionReaderTest {
    @TempDir
    Path dir;

    Migration read(String yaml) throws Exception {
        Path p = dir.resolve("0001_m.yaml");
        Files.writeString(p, yaml);
        return ChangelogReader.readFile(p);
    }

    String refused(String yaml) throws Exception {
        Files.writeString(dir.resolve("0001_m.yaml"), yaml);
        TandemException e = assertThrows(TandemException.class, () -> ChangelogReader.readFile(dir.resolve("0001_m.yaml")));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    @Test
    void replicaIdentity() throws Exception {
        Migration m = read("""
                changes:
                  - set_replica_identity: {table: tasks, identity: FULL}
                  - set_replica_identity: {table: users, identity: index, index: users_email_key}
                """);
        SetReplicaIdentity full = (SetReplicaIdentity) m.changes().get(0);
        assertEquals("full", full.identity());
        assertEquals(Optional.empty(), full.index());
        assertEquals(Optional.of("users_email_key"), ((SetReplicaIdentity) m.changes().get(1)).index());

        String unknown = refused("changes:\n  - set_replica_identity: {table: tasks, identity: partial}\n");
        assertTrue(unknown.contains("0001_m.yaml:2:52: set_replica_identity: field 'identity': unknown replica identity 'partial'"), unknown);
        String noIndex = refused("changes:\n  - set_replica_identity: {table: tasks, identity: index}\n");
        assertTrue(noIndex.contains("0001_m.yaml:2:") && noIndex.contains("needs 'index'"), noIndex);
        String extra = refused("changes:\n  - set_replica_identity: {table: tasks, identity: full, index: x}\n");
        assertTrue(extra.contains("field 'index': only identity: index takes an index"), extra);
    }
}
