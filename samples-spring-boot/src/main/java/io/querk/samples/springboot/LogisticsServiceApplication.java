package io.querk.samples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small logistics service: shipments over REST, stored with JPA. Its schema is Querk's job: the
 * starter finds the {@link ShipmentMigrations} beans and migrates before JPA starts.
 *
 * <pre>
 * java -jar service.jar --spring.datasource.url=jdbc:postgresql://localhost:5432/logistics
 * </pre>
 */
@SpringBootApplication
public class LogisticsServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(LogisticsServiceApplication.class, args);
    }
}
