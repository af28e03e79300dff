package io.querk.jdbc.fleet;

import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.QuerkConfigException;
import io.querk.migration.Migration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetConfigTest {

    private static QuerkConfig config() {
        return QuerkConfig.custom().dataSource(new PGSimpleDataSource())
                .migrations(Migration.define("1").expand(e -> e.addColumn("t", "c", "int")).build()).build();
    }

    @Test
    void badInputIsRefusedBeforeAnythingTouchesADatabase() {
        assertTrue(assertThrows(QuerkConfigException.class, () -> FleetConfig.custom().build()).getMessage()
                .contains("at least one target"));
        assertTrue(assertThrows(QuerkConfigException.class, () -> FleetConfig.custom().parallelism(0)).getMessage()
                .contains("between 1 and 256, got 0"));
        FleetConfig.Builder b = FleetConfig.custom().target("eu", config());
        assertTrue(assertThrows(QuerkConfigException.class, () -> b.target("eu", config())).getMessage()
                .contains("Two fleet targets are named 'eu'"));
        assertThrows(QuerkConfigException.class, () -> b.target(" ", config()));
        assertThrows(QuerkConfigException.class, () -> b.target("us", null));
        assertThrows(QuerkConfigException.class, () -> b.onFailure(null));
        assertThrows(QuerkConfigException.class, () -> Fleet.create(null));
    }

    @Test
    void defaultsAreNamedConstants() {
        FleetConfig c = FleetConfig.custom().target("eu", config()).build();
        assertEquals(FleetConfig.DEFAULT_PARALLELISM, c.parallelism());
        assertEquals(FailurePolicy.STOP, c.onFailure());
        assertEquals("FleetConfig[targets=1, parallelism=4, onFailure=STOP]", c.toString());
    }
}
