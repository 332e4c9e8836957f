package dev.tandem.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet file's strict parsing: waves, defaults, and every refusal with file:line:column. */
class FleetFileTest {
    private static TandemException refused(String text) {
        TandemException e = assertThrows(TandemException.class, () -> FleetFile.parse("fleet.yaml", text));
        assertEquals(2, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void wavesInOrderAndTenantStateSchemas() {
        FleetFile f = FleetFile.parse("fleet.yaml", """
                targets:
                  - {name: eu-1, url: "jdbc:postgresql://db-eu-1:5432/app"}
                  - {name: eu-2, url: "postgresql://db-eu-2:5432/app", schema: tenant_42}
                  - name: eu-3
                    url: postgresql://app@db-eu-2:5432/app
                    schema: tenant_43
                    state_schema: t43_state
                waves:
                  - [eu-1]
                  - [eu-3, eu-2]
                """);
        assertEquals(3, f.targets().size());
        assertEquals(2, f.waves().size());
        assertEquals(List.of("eu-1"), f.waves().get(0).targets().stream().map(Target::name).toList());
        assertEquals(List.of("eu-3", "eu-2"), f.waves().get(1).targets().stream().map(Target::name).toList());
        Target eu2 = f.targets().get(1);
        assertEquals("tenant_42", eu2.schemaOr("public"));
        assertEquals("tandem_tenant_42", eu2.stateSchemaOr("tandem"));
        assertEquals("t43_state", f.targets().get(2).stateSchemaOr("tandem"));
        assertEquals("tandem", f.targets().get(0).stateSchemaOr("tandem"));
        assertEquals("fleet.yaml:4:5", f.targets().get(2).position().toString());
        f.refuseSharedState("tandem"); // distinct states: no error
    }

    @Test
    void withoutWavesEveryTargetIsOneWave() {
        FleetFile f = FleetFile.parse("f.yaml", "targets:\n  - {name: a, url: 'jdbc:postgresql://h/a'}\n  - {name: b, url: 'jdbc:postgresql://h/b'}\n");
        assertEquals(1, f.waves().size());
        assertEquals(2, f.waves().get(0).targets().size());
    }

    @Test
    void passwordInTheUrlIsRefusedWithoutShowingIt() {
        TandemException e = refused("targets:\n  - {name: a, url: 'postgresql://app:s3cr3t-pw@h:5432/a'}\n");
        assertTrue(e.getMessage().startsWith("fleet.yaml:2:20: "), e.getMessage());
        assertTrue(e.getMessage().contains("carries a password"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t-pw"), e.getMessage());
        TandemException p = refused("targets:\n  - {name: a, url: 'jdbc:postgresql://h/a?user=x&password=hunter22'}\n");
        assertFalse(p.getMessage().contains("hunter22"), p.getMessage());
        assertTrue(p.getMessage().contains("carries a password"), p.getMessage());
    }

    @Test
    void unknownKeysNamesAndWavesAreRefusedWithPositions() {
        assertTrue(refused("targets:\n  - {name: a, url: 'jdbc:postgresql://h/a', password: x}\n").getMessage()
                .startsWith("fleet.yaml:2:45: unknown key \"password\""));
        assertTrue(refused("targetz: []\n").getMessage().startsWith("fleet.yaml:1:1: unknown key \"targetz\""));
        assertTrue(refused("targets: []\n").getMessage().startsWith("fleet.yaml:1:10: targets must be a non-empty list"));
        assertTrue(refused("targets:\n  - {url: 'jdbc:postgresql://h/a'}\n").getMessage().contains("a target needs \"name\""));
        assertTrue(refused("targets:\n  - {name: a, url: 'mysql://h/a'}\n").getMessage().startsWith("fleet.yaml:2:20: target a: unsupported database URL"));
        assertTrue(refused("targets:\n  - {name: 'a b', url: 'jdbc:postgresql://h/a'}\n").getMessage().startsWith("fleet.yaml:2:12: target name"));
        String dup = refused("targets:\n  - {name: a, url: 'jdbc:postgresql://h/a'}\n  - {name: a, url: 'jdbc:postgresql://h/b'}\n").getMessage();
        assertTrue(dup.startsWith("fleet.yaml:3:5: target name \"a\" is used twice (first at fleet.yaml:2:5)"), dup);
        String twoTargets = "targets:\n  - {name: a, url: 'jdbc:postgresql://h/a'}\n  - {name: b, url: 'jdbc:postgresql://h/b'}\n";
        assertTrue(refused(twoTargets + "waves:\n  - [a, c]\n").getMessage().startsWith("fleet.yaml:5:9: wave 1 names unknown target \"c\""));
        assertTrue(refused(twoTargets + "waves:\n  - [a]\n  - [a, b]\n").getMessage().startsWith("fleet.yaml:6:6: target a is in two waves (also at fleet.yaml:5:6)"));
        assertTrue(refused(twoTargets + "waves:\n  - [a]\n").getMessage().contains("target b (fleet.yaml:3:5) is in no wave"));
        assertTrue(refused(twoTargets + "waves:\n  - []\n").getMessage().startsWith("fleet.yaml:5:5: a wave is a non-empty list"));
        assertTrue(refused("targets: [\n").getMessage().startsWith("fleet.yaml:"));
    }

    @Test
    void twoTargetsSharingOneStateAreRefused() {
        FleetFile f = FleetFile.parse("fleet.yaml", """
                targets:
                  - {name: a, url: "jdbc:postgresql://h:5432/app", schema: t1}
                  - {name: b, url: "postgresql://h/app", schema: t2, state_schema: tandem_t1}
                """);
        TandemException e = assertThrows(TandemException.class, () -> f.refuseSharedState("tandem"));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith("fleet.yaml:3:5: target b shares database h:5432/app and state schema \"tandem_t1\" with target a"),
                e.getMessage());
    }
}
