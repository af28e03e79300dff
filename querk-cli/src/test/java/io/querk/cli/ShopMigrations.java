package io.querk.cli;

import io.querk.migration.Migration;
import io.querk.migration.MigrationProvider;

import java.util.Collection;
import java.util.List;

/** A Java migration found through ServiceLoader, as an application registers one. */
public final class ShopMigrations implements MigrationProvider {

    /** ServiceLoader's constructor. */
    public ShopMigrations() {
    }

    @Override
    public Collection<Migration> migrations() {
        return List.of(Migration.define("2").expand(e -> e.addColumn("orders", "note", "text")).build());
    }
}
