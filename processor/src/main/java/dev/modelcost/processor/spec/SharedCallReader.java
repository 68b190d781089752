package dev.modelcost.processor.spec;

import static dev.modelcost.processor.spec.Mirrors.qualifiedName;
import static dev.modelcost.processor.spec.Mirrors.value;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.spec.Operation.BlockOp;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.VariableElement;

/** Reads a field that calls an earlier field's module again ({@code @Shared}). */
final class SharedCallReader {
    /** What makes a module, which a {@code @Shared} field takes from the field it names and may not write itself. */
    private static final List<String> MODULE_MAKERS = List.of("LayerOf", "Args", "Repeat", "Experts", "Functional", "Dtype", "Subclass");

    private SharedCallReader() {}

    /** The block applied in place above that brings a layer named {@code target} (or {@code "body.fc"} for its field fc), or null. */
    private static BlockOp broughtInPlace(String target, List<Step> earlier) {
        for (Step step : earlier) {
            if (step.operation() instanceof BlockOp use && use.inPlace()) {
                String field = target.startsWith(step.name() + ".") ? target.substring(step.name().length() + 1) : target;
                if (use.block().steps().stream().anyMatch(inner -> inner.name().equals(field))) {
                    return use;
                }
            }
        }
        return null;
    }

    /**
     * A {@code @Shared} field: a call of an earlier field's module ({@code earlier}, the fields above it; {@code rejected}, those of
     * them refused already), with its own {@code @From} and {@code @When}; MC145 where it writes what makes a module, names no
     * earlier module (a function, a tensor, a block applied in place or inline), or is declared as another type; MC211 where it
     * is given another number of inputs than the module takes.
     */
    static Optional<Step> read(VariableElement field, List<AnnotationMirror> ours, AnnotationMirror mirror, List<String> sources,
            Site fromSite, List<String> inputs, List<Step> earlier, Set<String> rejected, Predicate<AnnotationMirror> isOperation,
            Findings findings) {
        String name = field.getSimpleName().toString();
        Site site = new Site(field, mirror, value(mirror, "value"));
        String target = (String) site.value().getValue();
        String shown = "@Shared(\"" + target + "\")";
        for (AnnotationMirror other : ours) {
            String simple = qualifiedName(other).substring(qualifiedName(other).lastIndexOf('.') + 1);
            if (isOperation.test(other) || MODULE_MAKERS.contains(simple)) {
                return findings.reject(new Problem(Diagnostic.SHARED_FIELD, Site.of(field, other), shown, name, "it calls " + target
                        + "'s module, whose layer, arguments and dtypes are " + target + "'s, so it takes no @" + simple + " of its own",
                        "remove @" + simple + ", or @Shared to make " + name + " a module of its own"));
            }
        }
        Step original = earlier.stream().filter(step -> step.name().equals(target)).findFirst().orElse(null);
        if (original == null) {
            if (rejected.contains(target)) {
                findings.rejectedElsewhere();
                return Optional.empty();
            }
            BlockOp inPlace = broughtInPlace(target, earlier);
            if (inPlace != null) {
                String owner = field.getEnclosingElement().getSimpleName().toString();
                return findings.reject(new Problem(Diagnostic.SHARED_FIELD, site, shown, name, target + " comes from block "
                        + inPlace.block().element().getSimpleName() + ", applied in place above, and @Shared calls a field declared in " + owner
                        + " itself", "declare the layer in " + owner + ", or apply the block as a field of its own (no inPlace) and share that"));
            }
            String why = target.equals(name) ? "names the field itself" : inputs.contains(target) ? "names an input, which is a tensor, no module"
                    : target.contains(".") ? "is a path into a block, but @Shared calls a field of " + field.getEnclosingElement().getSimpleName()
                            + " itself (sharing " + target.substring(0, target.indexOf('.')) + " would call the whole block)"
                    : "names no field declared above this one" + Suggestions.didYouMean(target, earlier.stream().map(Step::name).toList());
            return findings.reject(new Problem(Diagnostic.SHARED_FIELD, site, shown, name, why,
                    "name a layer or block field declared above " + name + " in " + field.getEnclosingElement().getSimpleName()));
        }
        if (original.shared() != null) {
            // A call of a call is a call of the module itself.
            String module = original.shared();
            original = earlier.stream().filter(step -> step.name().equals(module)).findFirst().orElseThrow();
        }
        if (original.operation() instanceof Operation.OpStep op && (!op.kind().module() || original.call() != Step.Call.MODULE)) {
            String what = original.call() == Step.Call.MODULE_WEIGHTS ? "a module the code never calls, whose weights a function takes "
                    + "(@Functional(moduleWeights = true))" : op.kind().module() ? "called as a function (@Functional)" : op.kind().maxInputs() == 0
                    ? "a tensor the model holds (" + op.kind().name() + ")" : Suggestions.withArticle(op.kind().name()) + ", a function or operator";
            return findings.reject(new Problem(Diagnostic.SHARED_FIELD, site, shown, name, original.name() + " is " + what
                    + ", no module to call again", "write " + name + " as a step of its own: only a module is called again"));
        }
        if (original.operation() instanceof BlockOp use && (use.inline() || use.inPlace())) {
            return findings.reject(new Problem(Diagnostic.SHARED_FIELD, site, shown, name, "block " + use.block().simpleName() + " is applied "
                    + (use.inPlace() ? "in place" : "inline") + " there, so its layers are " + field.getEnclosingElement().getSimpleName()
                    + "'s own, no one module to call again", "apply the block as a field of its own (no inPlace or inline) and share that"));
        }
        BlockOp use = original.operation() instanceof BlockOp b ? b : null;
        javax.lang.model.element.TypeElement declaredBlock = NetworkReader.blockType(field.asType());
        boolean sameType = use != null ? declaredBlock != null && declaredBlock.equals(NetworkReader.blockType(original.field().asType()))
                : NetworkReader.isLayerType(field.asType());
        if (!sameType) {
            String wanted = use != null ? use.block().simpleName() : "Layer";
            return findings.reject(new Problem(Diagnostic.SHARED_FIELD, site, shown, name, "it is declared as " + field.asType() + ", but "
                    + original.name() + " is " + (use != null ? "a block " + wanted : "a layer"), "declare " + name + " as " + wanted));
        }
        // As many inputs as the module takes: its own @From, else the field before.
        int count = fromSite != null ? sources.size() : 1;
        if (original.operation() instanceof Operation.OpStep op && (count < op.kind().minInputs() || count > op.kind().maxInputs())) {
            return findings.reject(new Problem(Diagnostic.ARITY, fromSite != null ? fromSite : site, name, op.kind().name(), op.kind().arity(), count));
        }
        if (use != null && count != use.block().inputs().size()) {
            List<String> declared = use.block().inputs();
            return findings.reject(new Problem(Diagnostic.ARITY, fromSite != null ? fromSite : site, name, "block " + use.block().simpleName(),
                    dev.modelcost.processor.layers.OpKind.inputs(declared.size()) + " (" + String.join(", ", declared) + ")", count));
        }
        return NetworkReader.withWhen(new Step(name, field, original.operation(), sources, fromSite, null, null, null).sharing(original, site),
                ours, findings);
    }

}
