package dev.tandem.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import dev.tandem.sql.QualifiedName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Holdings computed offline from plans, and the one waiting rule over them. */
class ConflictModelTest {
    @TempDir
    Path dir;

    private static final QualifiedName T = new QualifiedName("public", "t");

    @Test
    void parsesTouchedNames() {
        assertEquals(HeldObject.column(T, "v"), HeldObject.parse("public.t.v"));
        assertEquals(HeldObject.table(T), HeldObject.parse("public.t.*"));
        assertEquals(HeldObject.table(new QualifiedName("public", "t_idx")), HeldObject.parse("public.t_idx"));
        assertEquals(HeldObject.table(new QualifiedName("s", "a.b")), HeldObject.parse("s.a.b.*"));
    }

    @Test
    void aWholeTableOverlapsEachOfItsColumnsOnly() {
        assertTrue(HeldObject.table(T).overlaps(HeldObject.column(T, "v")));
        assertTrue(HeldObject.column(T, "v").overlaps(HeldObject.table(T)));
        assertFalse(HeldObject.column(T, "v").overlaps(HeldObject.column(T, "w")));
        assertFalse(HeldObject.table(T).overlaps(HeldObject.column(new QualifiedName("public", "u"), "v")));
        assertFalse(HeldObject.table(T).overlaps(HeldObject.table(new QualifiedName("other", "t"))));
    }

    @Test
    void renameTableWaitsForAColumnChangeOfItsTableAndNamesBoth() throws IOException {
        Holdings renameColumn = holdings("0001_a", "changes:\n  - rename_column: {table: t, column: v, to: w}\n");
        Holdings renameTable = holdings("0002_b", "changes:\n  - rename_table: {table: t, to: t2}\n");
        Optional<ConflictModel.Wait> w = ConflictModel.waitFor("0002_b", renameTable, List.of(new ConflictModel.Holder("0001_a", renameColumn)));
        assertTrue(w.isPresent());
        assertEquals("0001_a", w.get().holder());
        assertEquals(HeldObject.table(T), w.get().wanted());
        assertTrue(w.get().message().contains("column public.t.v"), w.get().message());
        // and the other way round: a column change waits for an unpurged table rename under either name
        Holdings onNewName = holdings("0003_c", "changes:\n  - add_column: {table: t2, column: {name: x, type: text}}\n");
        assertEquals("0002_b", ConflictModel.waitFor("0003_c", onNewName, List.of(new ConflictModel.Holder("0002_b", renameTable)))
                .orElseThrow().holder());
    }

    @Test
    void differentColumnsRideTheSameTrain() throws IOException {
        Holdings a = holdings("0001_a", "changes:\n  - rename_column: {table: t, column: v, to: w}\n");
        Holdings b = holdings("0002_b", "changes:\n  - change_column_type: {table: t, column: n, type: bigint}\n");
        assertEquals(Optional.empty(), ConflictModel.waitFor("0002_b", b, List.of(new ConflictModel.Holder("0001_a", a))));
        assertEquals(Optional.empty(), ConflictModel.waitFor("0001_a", a, List.of(new ConflictModel.Holder("0001_a", a))), "never waits for itself");
    }

    private Holdings holdings(String id, String yaml) throws IOException {
        Path f = dir.resolve(id + ".yaml");
        Files.writeString(f, yaml);
        Migration m = ChangelogReader.readFile(f);
        return Holdings.of(new Planner(PlanOptions.defaults()).plan(m, Optional.empty()));
    }
}
