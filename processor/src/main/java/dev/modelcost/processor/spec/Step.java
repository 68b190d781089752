package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.layers.Dtype;
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
 * @param call how the PyTorch code calls it: as a module, or ({@code @Functional}) as a function or tensor method
 * @param callSite where {@code @Functional} was written, or null
 * @param weights the dtype of the layer's parameters ({@code @Dtype(weights)}), or null for the model's
 * @param activations the dtype of the layer's inputs and output ({@code @Dtype(activations)}), or null for the model's
 * @param weightsSite where {@code @Dtype(weights)} was written, or null
 * @param subclass the name of the subclass of the layer's class its module is an instance of ({@code @Subclass}), or null
 * @param shared the earlier field whose module this one calls again ({@code @Shared}), its operation, call and dtypes being that
 *     field's; null for a module of its own
 * @param sharedSite where {@code @Shared} was written, or null
 */
public record Step(String name, VariableElement field, Operation operation, List<String> from, Site fromSite,
        Expr when, Site whenSite, String whenText, Call call, Site callSite, Dtype weights, Dtype activations, Site weightsSite,
        String subclass, String shared, Site sharedSite) {

    /** Copies the inputs. */
    public Step {
        from = List.copyOf(from);
    }

    /** A step the PyTorch code calls as its kind is usually called (a module for a layer). */
    public Step(String name, VariableElement field, Operation operation, List<String> from, Site fromSite,
            Expr when, Site whenSite, String whenText) {
        this(name, field, operation, from, fromSite, when, whenSite, whenText, Call.MODULE, null, null, null, null, null, null, null);
    }

    /** The same step under {@code when}, written at {@code whenSite} as {@code whenText}. */
    public Step when(Expr when, Site whenSite, String whenText) {
        return new Step(name, field, operation, from, fromSite, when, whenSite, whenText, call, callSite, weights, activations, weightsSite,
                subclass, shared, sharedSite);
    }

    /** The same step as a call, at {@code site}, of the module of {@code original} ({@code @Shared}): its operation, call and dtypes. */
    public Step sharing(Step original, Site site) {
        return new Step(name, field, original.operation, from, fromSite, when, whenSite, whenText, original.call, original.callSite,
                original.weights, original.activations, original.weightsSite, original.subclass, original.name, site);
    }

    /** How the PyTorch code calls a layer, which decides what the module-hooking counters see of it. */
    public enum Call {
        /** As a module ({@code self.relu(x)}), or, for a kind that is no module (a merge, a reshape), as PyTorch's code writes it. */
        MODULE,
        /** As a function of {@code torch.nn.functional} ({@code F.relu(x)}); {@code @Functional}. */
        FUNCTION,
        /** As a tensor method ({@code x.mean([2, 3])}); {@code @Functional(method = true)}. */
        METHOD,
        /**
         * As a function of {@code torch.nn.functional} given the weights of a module the code never calls
         * ({@code F.linear(x, self.qkv.weight, self.qkv.bias)}); {@code @Functional(moduleWeights = true)}.
         */
        MODULE_WEIGHTS;

        /** Whether the code registers a module for the layer (called or not): its parameters are that module's, its number an index's. */
        public boolean registersModule() {
            return this == MODULE || this == MODULE_WEIGHTS;
        }
    }

    /**
     * Whether this step, doing {@code operation} (its own, or the kind a {@code @LayerOf} chose), takes numbers in an indexed
     * network, as {@code nn.Sequential} numbers its modules: a layer called as a module and a block field take one, a block applied
     * inline one per repetition; a block applied in place (its fields are the network's own), a function and a merge none. A layer
     * whose module's weights a function takes ({@link Call#MODULE_WEIGHTS}) takes one: the module is registered, though never called.
     */
    public boolean numbered(Operation operation) {
        return operation instanceof Operation.BlockOp use ? !use.inPlace()
                : operation instanceof Operation.OpStep op && op.kind().module() && call.registersModule();
    }

    /**
     * Every expression the step holds, as written: its {@code @When}, the attributes given in
     * {@code with}, or a block use's arguments, {@code @Repeat} count and {@code @Experts(with)}.
     */
    public List<String> expressionTexts() {
        List<String> texts = new java.util.ArrayList<>();
        if (whenText != null) {
            texts.add(whenText);
        }
        if (operation instanceof Operation.OpStep op) {
            op.attrs().stream().filter(AttrSpec::given).map(AttrSpec::text).forEach(texts::add);
        } else if (operation instanceof Operation.BlockOp use) {
            use.args().forEach(a -> texts.add(a.text()));
            use.first().forEach(a -> texts.add(a.text()));
            if (use.count() != null) {
                texts.add(use.count().text());
            }
            use.expertsWith().forEach(a -> texts.add(a.text()));
        }
        return texts;
    }
}
