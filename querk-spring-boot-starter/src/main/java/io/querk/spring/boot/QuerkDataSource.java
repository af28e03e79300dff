package io.querk.spring.boot;

import io.querk.Api;
import org.springframework.beans.factory.annotation.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@link javax.sql.DataSource} bean Querk migrates with, when it is not the application's
 * (a direct connection beside a pool that goes through a transaction pooler). Without one, the
 * {@code querk.datasource.*} properties, then the application's DataSource, are used.
 *
 * <pre>{@code
 * @Bean
 * @QuerkDataSource
 * DataSource migrationDataSource() { ... }
 * }</pre>
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface QuerkDataSource {
}
