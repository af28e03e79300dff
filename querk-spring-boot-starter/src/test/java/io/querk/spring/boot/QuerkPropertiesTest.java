package io.querk.spring.boot;

import io.querk.jdbc.QuerkConfig;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The properties' defaults are the engine's, and their metadata is generated for IDEs. */
class QuerkPropertiesTest {

    @Test
    void unsetPropertiesGiveTheEnginesDefaults() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        QuerkConfig.Builder fromProperties = QuerkConfig.custom().dataSource(ds);
        QuerkAutoConfiguration.apply(new QuerkProperties(), fromProperties);
        // toString shows every effective value, so one comparison covers them all.
        assertEquals(QuerkConfig.custom().dataSource(ds).build().toString(), fromProperties.build().toString());
    }

    @Test
    void theConfigurationProcessorWroteMetadataWithDescriptionsAndDefaults() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertNotNull(in, "spring-boot-configuration-processor must run");
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String p : new String[] {"querk.enabled", "querk.lock-timeout", "querk.fail-on-refused-plan",
                    "querk.backfill.background", "querk.datasource.url", "querk.retry.max-attempts",
                    "querk.contract-released-through", "querk.history-table"}) {
                assertTrue(json.contains("\"name\": \"" + p + "\""), p + " is in the metadata");
            }
            assertTrue(json.contains("\"defaultValue\": \"200ms\""), "defaults are listed");
        }
    }
}
