package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link NextAction#of}: the next command for every stored state (pure, no database). */
class NextActionTest {
    static MigrationRecord at(Phase phase, String status) {
        return new MigrationRecord("0007_x", "sum", "", Optional.ofNullable(phase), status, Optional.empty(), "me",
                OffsetDateTime.now());
    }

    @Test
    void forwardThroughTheLifecycle() {
        assertEquals("tandem apply", NextAction.of(null, false, true));
        assertEquals("none", NextAction.of(null, false, false));
        assertEquals("tandem apply", NextAction.of(at(null, Status.PENDING), false, true));
        assertEquals("tandem apply", NextAction.of(at(Phase.EXPAND, Status.IN_PROGRESS), false, true));
        assertEquals("tandem apply", NextAction.of(at(Phase.DUAL_WRITE, Status.IN_PROGRESS), false, true));
        assertEquals("tandem switch-reads 0007_x", NextAction.of(at(Phase.BACKFILL, Status.IN_PROGRESS), false, true));
        assertEquals("tandem contract 0007_x", NextAction.of(at(Phase.SWITCH_READS, Status.IN_PROGRESS), false, true));
        assertEquals("tandem purge 0007_x", NextAction.of(at(Phase.CONTRACT, Status.CONTRACTED), false, true));
        assertEquals("tandem purge 0007_x", NextAction.of(at(Phase.CONTRACT, Status.PURGING), false, true));
        assertEquals("none", NextAction.of(at(Phase.CONTRACT, Status.PURGED), false, true));
    }

    @Test
    void interruptedContinuesInItsDirection() {
        assertEquals("tandem apply", NextAction.of(at(null, Status.INTERRUPTED), false, true));
        assertEquals("tandem apply", NextAction.of(at(Phase.DUAL_WRITE, Status.INTERRUPTED), false, true));
        assertEquals("tandem switch-reads 0007_x", NextAction.of(at(Phase.BACKFILL, Status.INTERRUPTED), false, true));
        assertEquals("tandem contract 0007_x", NextAction.of(at(Phase.SWITCH_READS, Status.INTERRUPTED), false, true));
        assertEquals("tandem rollback 0007_x", NextAction.of(at(Phase.SWITCH_READS, Status.INTERRUPTED), true, true));
        assertEquals("tandem rollback 0007_x", NextAction.of(at(null, Status.INTERRUPTED), true, false));
    }
}
