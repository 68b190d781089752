package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.expr.ExprParser.Assignment;
import dev.modelcost.processor.layers.OpKind;
import java.util.List;

/** What one field of a network does: apply an operation (a layer or a merge), or apply a block. */
public sealed interface Operation {

    /**
     * An operation of a registered kind.
     *
     * @param kind the kind
     * @param attrs every attribute of its annotation, in declaration order
     * @param inputs the inputs the annotation itself names (a merge's {@code value}); empty otherwise
     * @param site the annotation
     * @param inputsSite where {@code inputs} were written, or null
     */
    record OpStep(OpKind kind, List<AttrSpec> attrs, List<String> inputs, Site site, Site inputsSite) implements Operation {

        /** The same operation written at {@code site}: its attributes there too (a kind a {@code @LayerOf} field names). */
        public OpStep at(Site site) {
            List<AttrSpec> sited = attrs.stream().map(a -> new AttrSpec(a.name(), a.value(), a.given(), a.type(), site, a.text())).toList();
            return new OpStep(kind, sited, inputs, site, inputsSite);
        }
    }

    /**
     * A block, applied {@code repeat} times.
     *
     * @param block the block's spec
     * @param args the arguments of every repetition
     * @param argsSite where the arguments were written
     * @param repeat how many times; 1 without {@code @Repeat}
     * @param repeated whether {@code @Repeat} was written (the repetitions are then named 0, 1, ...)
     * @param first arguments that override {@code args} in the first repetition
     * @param firstSite where those were written
     * @param prefix what the names of the repetitions start with
     * @param start the number of the first repetition
     * @param inline whether the repetitions are children of the enclosing (indexed) network itself
     * @param experts how many experts the block stands for under {@code @Experts}, 0 without
     * @param topK how many of them each token uses
     * @param count the count as an expression ({@code @Repeat(count = "...")}), evaluated where the
     *     block is applied, or null when {@code repeat} is the count
     * @param countSite where the count was written ({@code @Repeat}'s {@code value} or {@code count}), or null without
     *     {@code @Repeat}
     * @param inPlace whether the block's fields become the enclosing network's own ({@code @Args(inPlace = true)})
     * @param sharedSite where {@code @Repeat(shared = true)} was written, the repetitions then being one module called again;
     *     null where each repetition is a module of its own
     * @param expertsWith {@code @Experts(with)}: {@code count} and {@code topK} as expressions, evaluated where the block is
     *     applied (then {@code experts} and {@code topK} are 0); empty otherwise
     * @param expertsSite where {@code @Experts} was written; null without it
     * @param loop whether the enclosing forward runs the repetitions in a loop of its own ({@code @Repeat(loop = true)}), which drops
     *     their input once the first has run
     */
    record BlockOp(NetworkSpec block, List<Assignment> args, Site argsSite, int repeat, boolean repeated,
            List<Assignment> first, Site firstSite, String prefix, int start, boolean inline, int experts, int topK,
            Expression count, Site countSite, boolean inPlace, Site sharedSite, List<Assignment> expertsWith, Site expertsSite,
            boolean loop) implements Operation {

        /** Whether the repetitions are one module called again ({@code @Repeat(shared = true)}). */
        public boolean shared() {
            return sharedSite != null;
        }
    }

    /**
     * A layer whose kind is the value of a {@code String} parameter ({@code @LayerOf("act")}), run
     * with its annotation's defaults.
     *
     * @param parameter the parameter that names the kind
     * @param site the field and its {@code @LayerOf}
     * @param kinds every kind of one input it may be, by name, each with its default attributes (not yet
     *     sited), as the compilation knows them when the network is analysed (declared kinds read by then included)
     * @param inplace whether {@code @LayerOf(inplace = true)} builds it in place
     * @param inplaceSite where {@code inplace} was written, or null
     */
    record KindOf(String parameter, Site site, java.util.function.Supplier<java.util.Map<String, OpStep>> kinds, boolean inplace,
            Site inplaceSite, java.util.function.Function<String, String> whyNot) implements Operation {}

    /** An expression as parsed and as written. */
    record Expression(dev.modelcost.processor.expr.Expr expr, String text) {}
}
