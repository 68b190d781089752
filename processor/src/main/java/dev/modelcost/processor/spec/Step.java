package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.expr.Expr;
import java.util.List;
import javax.lang.model.element.VariableElement;

/**
 * One field of a network: its name, what it does, where it reads from and when it exists.
 *
 * @param name the field name
 * @param field the field, for messages
 * @param operation what it does
 * @param from the fields or inputs it reads, in order, from {@code @From}; empty for the field just before
 * @param fromSite where {@code @From} was written, or null
 * @param when the condition it exists under, or null for always
 * @param whenSite where {@code @When} was written, or null
 * @param whenText the condition as written, or null
 */
public record Step(String name, VariableElement field, Operation operation, List<String> from, Site fromSite,
        Expr when, Site whenSite, String whenText) {

    /** Copies the inputs. */
    public Step {
        from = List.copyOf(from);
    }
}
