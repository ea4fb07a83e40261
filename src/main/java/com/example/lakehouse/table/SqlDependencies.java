package com.example.lakehouse.table;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.execution.SparkSqlParser;

import scala.jdk.javaapi.CollectionConverters;

/**
 * The tables a SELECT reads, found by Spark's own SQL parser (no session, no catalog): every relation
 * in its FROM and JOIN clauses, its CTEs and its subqueries, less the names of its CTEs.
 */
public final class SqlDependencies {
    private static final SparkSqlParser PARSER = new SparkSqlParser();

    private SqlDependencies() {
    }

    /** The names (last part, lower case) of the tables {@code select}, an entry's SELECT with ${dt}, reads, sorted. */
    public static Set<String> tablesRead(String select) {
        Set<String> relations = new TreeSet<>();
        Set<String> cteNames = new HashSet<>();
        // any date will do: which tables a SELECT reads does not depend on it
        collect(PARSER.parsePlan(TableEntry.render(select, LocalDate.EPOCH)), relations, cteNames);
        relations.removeAll(cteNames);
        return relations;
    }

    private static void collect(LogicalPlan plan, Set<String> relations, Set<String> cteNames) {
        if (plan instanceof UnresolvedRelation relation) {
            var parts = CollectionConverters.asJava(relation.multipartIdentifier());
            relations.add(parts.get(parts.size() - 1).toLowerCase(Locale.ROOT));
        }
        if (plan instanceof UnresolvedWith with) {
            CollectionConverters.asJava(with.cteRelations()).forEach(cte -> {
                cteNames.add(cte._1().toLowerCase(Locale.ROOT));
                collect(cte._2(), relations, cteNames);
            });
        }
        CollectionConverters.asJava(plan.children()).forEach(child -> collect(child, relations, cteNames));
        CollectionConverters.asJava(plan.subqueries()).forEach(subquery -> collect(subquery, relations, cteNames));
    }
}
