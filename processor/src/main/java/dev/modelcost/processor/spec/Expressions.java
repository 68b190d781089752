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
            return findings.reject(syntaxError(site, where, text, e));
        }
    }

    /** {@code name = expr, name = expr}, as in {@code with}. */
    static Optional<List<Assignment>> assignments(String text, Site site, String where, Findings findings) {
        try {
            return Optional.of(ExprParser.parseAssignments(text));
        } catch (ExprException e) {
            return findings.reject(syntaxError(site, where, text, e));
        }
    }

    /** The longest text a message quotes whole; a longer one is quoted around where parsing failed. */
    static final int QUOTED = 120;

    /**
     * MC201 for {@code text}, which failed to parse ({@code e}) at {@code site}: the text quoted, around the failure where it is
     * longer than {@link #QUOTED} characters, and a fix for a syntax error or for an expression beyond the parser's limits.
     */
    static Problem syntaxError(Site site, String where, String text, ExprException e) {
        String quoted = "'" + text + "'";
        if (text.length() > QUOTED) {
            int at = Math.max(0, Math.min(e.position(), text.length()));
            int from = Math.max(0, Math.min(at - QUOTED / 2, text.length() - QUOTED));
            int to = from + QUOTED;
            quoted = String.format(java.util.Locale.ROOT, "'%s%s%s' (%,d characters; %,d to %,d quoted)", from > 0 ? "..." : "",
                    text.substring(from, to), to < text.length() ? "..." : "", text.length(), from + 1, to);
        }
        String fix = e.reason() == ExprException.Reason.TOO_DEEP
                ? "split it: compute parts as @Param defaults (@Param(expr = ...)) or in the Java constants it reads"
                : "expressions use + - * / %, comparisons, && || !, ?:, min, max, divisible, exact, ceil, floor, round, int, len and list indexing a[i]";
        return new Problem(Diagnostic.EXPRESSION_SYNTAX, site, where, quoted, e.detail(), fix);
    }

    /** The assignments of every string of a {@code String[]} value, as in {@code @Args}. */
    static Optional<List<Assignment>> assignmentList(AnnotationValue value, Site site, String where, Findings findings) {
        List<Assignment> all = new ArrayList<>();
        for (Object item : (List<?>) value.getValue()) {
            Optional<List<Assignment>> parsed = assignments((String) ((AnnotationValue) item).getValue(), itemSite(site, item), where, findings);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            all.addAll(parsed.get());
        }
        return Optional.of(List.copyOf(all));
    }

    /**
     * The site of each assignment {@link #assignmentList} gives for the array at {@code site} ({@code @Args({"c = 4", "c = 0"})}):
     * the array's element that holds it, so that a message points at that string; none where {@code site} holds no value.
     */
    static List<Site> assignmentSites(Site site) {
        if (site.value() == null || !(site.value().getValue() instanceof List<?> items)) {
            return List.of();
        }
        List<Site> sites = new ArrayList<>();
        for (Object item : items) {
            int count;
            try {
                count = ExprParser.parseAssignments((String) ((AnnotationValue) item).getValue()).size();
            } catch (ExprException e) {
                return List.of(); // told by assignmentList
            }
            sites.addAll(java.util.Collections.nCopies(count, itemSite(site, item)));
        }
        return sites;
    }

    /** The site of one element of the array at {@code site}. */
    private static Site itemSite(Site site, Object item) {
        return new Site(site.element(), site.mirror(), (AnnotationValue) item);
    }
}
