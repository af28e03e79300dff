package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;
import java.util.stream.Collectors;

/** CREATE [UNIQUE] INDEX CONCURRENTLY. */
public record CreateIndex(QualifiedName target, Identifier name, boolean unique, List<IndexElement> elements,
                          String method, List<Identifier> include, String where) implements StepDefinition {
    public CreateIndex {
        elements = List.copyOf(elements);
        include = List.copyOf(include);
    }

    @Override
    public StepKind kind() {
        return StepKind.CREATE_INDEX;
    }

    @Override
    public String description() {
        return "create " + (unique ? "unique " : "") + "index " + name.sql() + " on " + target.sql()
                + " (" + elements.stream().map(IndexElement::sql).collect(Collectors.joining(", ")) + ")"
                + (where == null ? "" : " where " + where);
    }

    @Override
    public String canonical() {
        return Canonical.of("createIndex").with("table", target).with("name", name).flag("unique", unique)
                .with("elements", elements).with("method", method).with("include", include)
                .with("where", where).toString();
    }
}
