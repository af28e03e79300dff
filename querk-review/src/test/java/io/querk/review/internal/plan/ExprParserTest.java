package io.querk.review.internal.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deparsed forms PostgreSQL 14 to 18 print in plans, read back into trees. */
class ExprParserTest {

    @Test
    void aConjunctionOfComparisonsSplitsIntoColumnsConstantsAndParameters() {
        Expr e = ExprParser.parse("((shipments.customer_id = $1) AND (shipments.status = 'lost'::text)"
                + " AND ((shipments.weight_g)::numeric = 1.5))");
        List<Expr> c = Exprs.conjuncts(e);
        assertEquals(3, c.size());
        Expr.Op first = assertInstanceOf(Expr.Op.class, c.get(0));
        assertEquals(new Expr.Col("shipments", "customer_id"), first.left());
        assertEquals(new Expr.Param(1), first.right());
        Expr.Op second = assertInstanceOf(Expr.Op.class, c.get(1));
        assertEquals(new Expr.Const("lost", "text", true), second.right());
        Expr.Op third = assertInstanceOf(Expr.Op.class, c.get(2));
        assertEquals(new Expr.Cast(new Expr.Col("shipments", "weight_g"), "numeric"), third.left());
        assertEquals("(shipments.customer_id = $1)", first.sql());
        assertEquals("(status = 'lost'::text)", second.sql("shipments"));
    }

    @Test
    void multiWordTypesArraysAndAnyAreRead() {
        Expr e = ExprParser.parse("((s.created_at > '2024-01-01 00:00:00+00'::timestamp with time zone)"
                + " AND (s.status = ANY ('{lost,booked}'::text[])))");
        List<Expr> c = Exprs.conjuncts(e);
        Expr.Op range = assertInstanceOf(Expr.Op.class, c.get(0));
        assertEquals("timestamp with time zone", ((Expr.Const) range.right()).type());
        Expr.AnyAll any = assertInstanceOf(Expr.AnyAll.class, c.get(1));
        assertEquals("=", any.op());
        assertEquals(new Expr.Const("{lost,booked}", "text[]", true), any.array());
    }

    @Test
    void functionsNullTestsBooleansAndLike() {
        Expr e = ExprParser.parse("(shipments.delivered AND (shipments.carrier_id IS NULL) AND (date(shipments.created_at)"
                + " = '2024-01-01'::date) AND (lower(shipments.tracking_no) = 'x'::text) AND (shipments.tracking_no ~~ '%123%'::text))");
        List<Expr> c = Exprs.conjuncts(e);
        assertEquals(5, c.size());
        assertEquals(new Expr.Col("shipments", "delivered"), c.get(0));
        assertEquals(new Expr.Is(new Expr.Col("shipments", "carrier_id"), "NULL"), c.get(1));
        Expr.Func date = assertInstanceOf(Expr.Func.class, ((Expr.Op) c.get(2)).left());
        assertEquals("date", date.name());
        assertEquals("lower(tracking_no)", ((Expr.Op) c.get(3)).left().sql("shipments"));
        assertEquals("~~", ((Expr.Op) c.get(4)).op());
    }

    @Test
    void orNotSubplansAndQuotedNames() {
        Expr or = ExprParser.parse("((shipments.tracking_no ~~ '%123%'::text) OR (shipments.dest_city ~~* 'city1%'::text))");
        assertTrue(or instanceof Expr.Bool b && b.or() && b.terms().size() == 2);
        Expr not = ExprParser.parse("(NOT (hashed SubPlan 1))");
        Expr.Not n = assertInstanceOf(Expr.Not.class, not);
        assertInstanceOf(Expr.Opaque.class, n.expr());
        Expr q = ExprParser.parse("(\"Order Lines\".\"Qty\" > 5)");
        assertEquals(new Expr.Col("Order Lines", "Qty"), ((Expr.Op) q).left());
        assertEquals("(\"Order Lines\".\"Qty\" > 5)", q.sql());
    }

    @Test
    void extractCaseAndEscapedStrings() {
        Expr ex = ExprParser.parse("(EXTRACT(year FROM s.created_at) = '2024'::numeric)");
        Expr.Func f = assertInstanceOf(Expr.Func.class, ((Expr.Op) ex).left());
        assertEquals("EXTRACT(year FROM created_at)", f.sql("s"));
        Expr cs = ExprParser.parse("(CASE WHEN (s.a > 1) THEN 'x'::text ELSE 'y'::text END = 'x'::text)");
        assertInstanceOf(Expr.Opaque.class, ((Expr.Op) cs).left());
        Expr str = ExprParser.parse("(s.note = 'it''s'::text)");
        assertEquals("it's", ((Expr.Const) ((Expr.Op) str).right()).value());
        assertEquals("(s.note = 'it''s'::text)", str.sql());
    }

    @Test
    void somethingUnreadableIsOpaqueNotAnError() {
        Expr e = ExprParser.parse("(x = ))");
        assertInstanceOf(Expr.Opaque.class, e);
        assertTrue(Exprs.hasOpaque(e));
        assertFalse(Exprs.hasOpaque(ExprParser.parse("(a.b = 1)")));
    }

    @Test
    void sortKeysKnowTheirDirectionAndWhetherAPlainBtreeGivesTheirNullsOrder() {
        ExprParser.SortKey k = ExprParser.parseSortKey("shipments.created_at DESC");
        assertTrue(k.descending());
        assertTrue(k.defaultNulls());
        assertFalse(ExprParser.parseSortKey("s.created_at DESC NULLS LAST").defaultNulls());
        assertTrue(ExprParser.parseSortKey("s.created_at NULLS LAST").defaultNulls());
        assertEquals(new Expr.Col("s", "id"), ExprParser.parseSortKey("s.id").expr());
    }

    @Test
    void rowComparisonsAndNegativeNumbers() {
        Expr e = ExprParser.parse("(ROW(s.created_at, s.id) < ROW('2024-01-01 00:00:00'::timestamp without time zone, '42'::bigint))");
        Expr.Op op = assertInstanceOf(Expr.Op.class, e);
        assertInstanceOf(Expr.Items.class, op.left());
        Expr neg = ExprParser.parse("(s.x > -5)");
        assertEquals(new Expr.Const("-5", null, false), ((Expr.Op) neg).right());
    }
}
