package io.querk.spring.boot;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

import java.util.Set;

/**
 * Tells Spring Boot's database-initialization ordering that a {@link QuerkMigrationInitializer}
 * initializes the database, so that beans which need an initialized database depend on it.
 * Registered in {@code META-INF/spring.factories}; not API.
 *
 * <p>Boot makes the initializers of a detector of higher order depend on those of lower orders.
 * Flyway's and Liquibase's detectors have order 1; Querk's comes after them, so that beside either
 * tool Querk's migrations see the schema it made (decision 0052).
 */
class QuerkMigrationInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    /** After Flyway's and Liquibase's detectors (order 1). */
    static final int ORDER = 10;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(QuerkMigrationInitializer.class);
    }
}
