package io.querk.spring.boot;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

import java.util.Set;

/**
 * Tells Spring Boot's database-initialization ordering that a {@link QuerkMigrationInitializer}
 * initializes the database, so that beans which need an initialized database depend on it.
 * Registered in {@code META-INF/spring.factories}; not API.
 */
class QuerkMigrationInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(QuerkMigrationInitializer.class);
    }
}
