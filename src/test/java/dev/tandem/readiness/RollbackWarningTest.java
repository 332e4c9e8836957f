package dev.tandem.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.plan.Phase;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollbackWarningTest {
    @Test
    void warnsWhenDualWriteIsUndoneAfterTheNewVersionWasRolledOut() {
        assertTrue(RollbackWarning.of(Optional.of(Phase.SWITCH_READS), Optional.of(Phase.EXPAND), false).orElseThrow()
                .contains("sync trigger"));
        assertTrue(RollbackWarning.of(Optional.of(Phase.CONTRACT), Optional.empty(), true).orElseThrow()
                .contains("removes the new shape"));
        assertTrue(RollbackWarning.of(Optional.of(Phase.BACKFILL), Optional.of(Phase.EXPAND), false).isPresent());
    }

    @Test
    void silentWhenTheOldShapeStaysSynced() {
        assertEquals(Optional.empty(), RollbackWarning.of(Optional.of(Phase.CONTRACT), Optional.empty(), false));
        assertEquals(Optional.empty(), RollbackWarning.of(Optional.of(Phase.SWITCH_READS), Optional.of(Phase.DUAL_WRITE), false));
        assertEquals(Optional.empty(), RollbackWarning.of(Optional.of(Phase.DUAL_WRITE), Optional.empty(), true));
        assertEquals(Optional.empty(), RollbackWarning.of(Optional.empty(), Optional.empty(), true));
    }
}
