package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprException;
import dev.modelcost.processor.expr.ExprParser;
import dev.modelcost.processor.expr.ExprParser.Assignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationValue;

/** Parsing of the expressions written in annotation strings, a syntax error reported on the string's site (MC201). */
final class Expressions {
    private Expressions() {}

    /** One expression, as in {@code @When} or {@code @Param(expr)}. */
    static Optional<Expr> parse(String text, Site site, String where, Findings findings) {
        try {
            return Optional.of(ExprParser.parse(text));
        } catch (ExprException e) {
            return findings.reject(new Problem(Diagnostic.EXPRESSION_SYNTAX, site, where, text, e.detail()));
        }
    }

    /** {@code name = expr, name = expr}, as in {@code with}. */
    static Optional<List<Assignment>> assignments(String text, Site site, String where, Findings findings) {
        try {
            return Optional.of(ExprParser.parseAssignments(text));
        } catch (ExprException e) {
            return findings.reject(new Problem(Diagnostic.EXPRESSION_SYNTAX, site, where, text, e.detail()));
        }
    }

    /** The assignments of every string of a {@code String[]} value, as in {@code @Args}. */
    static Optional<List<Assignment>> assignmentList(AnnotationValue value, Site site, String where, Findings findings) {
        List<Assignment> all = new ArrayList<>();
        for (Object item : (List<?>) value.getValue()) {
            Optional<List<Assignment>> parsed = assignments((String) ((AnnotationValue) item).getValue(), site, where, findings);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            all.addAll(parsed.get());
        }
        return Optional.of(List.copyOf(all));
    }
}
