package dev.modelcost.processor.diag;

import javax.tools.Diagnostic.Kind;

/**
 * The catalogue of every message the processor prints: a stable tag, a kind, a message format and
 * a fix. Tags never change meaning; new entries get new tags.
 */
public enum Diagnostic {
    // Reading the spec: where annotations are and what they may be on.
    MODEL_NOT_A_CLASS("MC101", "@%s must be on a plain class, but %s is %s", "move it to a class"),
    MODEL_GENERIC("MC102", "@Model class %s has type parameters", "remove the type parameters; a model's costs cannot depend on them"),
    INPUT_RANK("MC103", "@Model has %s", "%s"),
    NOT_POSITIVE("MC104", "%s: %s must be at least %d, but is %d", ""),
    COST_CLASS_CLASH("MC105", "cannot write %s: %s", "rename the existing type or the model"),
    COST_CLASS_NAME_TOO_LONG("MC148", "cannot write %s: its class file %s would have a name of %,d bytes, more than the %d a file name may "
            + "have on most file systems", "give the model, or a class it is nested in, a shorter name"),
    TWO_OPERATIONS("MC106", "field %s has more than one layer annotation (%s)", "split it into one field per layer"),
    STATIC_LAYER("MC107", "static field %s has a modelcost annotation; layers and parameters are instance fields", "remove 'static'"),
    LAYER_FIELD_TYPE("MC108", "field %s has @%s but is declared as %s", "declare it as dev.modelcost.Layer"),
    LAYER_WITHOUT_ANNOTATION("MC109", "field %s is a Layer without a layer annotation%s", "annotate it, e.g. @ReLU, or remove it"),
    FIELD_NOT_A_LAYER("MC110", "field %s of type %s is neither a Layer nor a @Block; every instance field of a model or block is part of the network", "make it static if it is a constant, or %s"),
    OUTSIDE_MODEL("MC111", "@%s on field %s, but %s is neither a @Model nor a @Block", "annotate the class with @Model or @Block"),
    EMPTY_NETWORK("MC112", "%s has no layers", "add layer fields, e.g. @Linear(out = 10) Layer fc;"),
    PARAM_TYPE("MC113", "@Param field %s is declared as %s", "declare parameters as int, double (a multiplier), boolean (a flag), int[] (a list) "
            + "or String (a layer kind's name)"),
    PARAM_INITIALIZER("MC151", "@Param field %s is initialized in Java (= %s), which is not its default: %s", "%s"),
    PARAM_OUTSIDE_BLOCK("MC114", "@Param field %s is in %s, which is not a @Block", "move the parameter to a @Block class, or make it a static constant"),
    NOT_A_BLOCK_USE("MC115", "@%s on field %s, which is not a block", "@Args, @Repeat and @Experts apply to fields whose type is a @Block class"),
    MODIFIER_ON_MERGE("MC116", "@%s on merge field %s; a merge names its inputs itself", "remove it"),
    RESERVED_NAME("MC117", "%s may not be called '%s': the name stands for %s", "rename it"),
    INPUT_NAME("MC119", "input name '%s' %s", "rename the input: each name once, one a field could have, and none of the names expressions reserve (in, h, w, x, index)"),
    LAYOUT("MC120", "layout '%s' of %s does not name %d distinct axes: %s", "write one name per dimension, separated by commas, e.g. layout = \"L,D\"; "
            + "a name is ASCII letters, digits and _, starting with a letter"),
    INHERITED_LAYERS("MC121", "%s extends %s, which declares %s; a model or block does not inherit them", "apply %s as a field instead: annotate it with @Block and declare a field of its type"),
    NESTING_DEPTH("MC122", "%s: blocks nest more than %d deep here (%s)", "flatten some levels into one block, or apply a block several times with @Repeat"),
    EXPERTS("MC123", "%s: @Experts(topK = %d) must pick at least one of the count = %d experts, and no more", ""),
    MODEL_SETTING("MC124", "@Model(%s = \"%s\") is not one of %s%s", ""),
    UNREAD_OUTPUT("MC130", Kind.WARNING, "%s: the output of field %s is never read: no later field takes it, and it is not the output%s", "%s"),
    UNREAD_INPUT("MC141", Kind.WARNING, "%s: its input %s is never read: no field takes it, and no expression reads its axes",
            "read it with @From where it belongs (a second input fed to nothing leaves every figure without it), or drop it from the inputs"),
    WEIGHTLESS_DTYPE("MC142", Kind.WARNING, "%s: @Dtype(weights = \"%s\") on field %s, whose %s: its weights' dtype changes nothing",
            "remove weights from @Dtype, or write it on the layer that holds the weights"),
    SUBCLASS("MC144", "@Subclass(\"%s\") on field %s: %s", "%s"),
    SHARED_FIELD("MC145", "%s on field %s: %s", "%s"),
    MISSING_CLASS("MC146", "field %s of %s, read from its class file, names %s, which is not on the class path",
            "put the library that holds it on the compile class path: a dependency of %s's library that its build does not pass on "
            + "(Maven's provided or optional scope, Gradle's implementation)"),
    FAST_PATH_NOT_TAKEN("MC149", Kind.WARNING, "%s: @FastPath, but PyTorch 1.13 does not take the fast path (%s): it runs the modules one "
            + "by one, which the counters that hook modules see, and modelcost's figures follow", "remove @FastPath"),
    STEPS_AS_CHANNELS("MC153", Kind.WARNING, "%s: %s (%s) takes the model input %sas channels first (%s channels of %s positions), but the "
            + "input declares no layout, and a 2-D input is a sequence L,D by default (%s steps of %s features): a recurrent layer or "
            + "attention after it would read its channels as steps, with no error, as PyTorch would",
            "declare the input's layout: layout = \"C,L\" where its first axis holds channels (audio features, a signal's channels), "
                    + "or layout = \"L,D\" where the steps are meant as the channels"),
    FEATURES_IGNORED("MC162", Kind.WARNING, "%s: %s features = %d, but its input has %s: PyTorch ignores features where affine and "
            + "trackRunningStats are false, and normalises the channels it is given", "%s"),
    PARAM_WITH_STEP("MC154", "@Param field %s also has %s: a parameter is a value the block receives (from @Args or its default), not a "
            + "step of the network, and takes no other modelcost annotation", "keep @Param alone on the field, and write the step in a field of its own"),
    BLOCK_WITHOUT_INPUTS("MC155", "@Block(inputs = {}) leaves %s without an input: every block takes at least one tensor",
            "name its inputs, or leave inputs out for the one input named input"),
    FAST_PATH_WITHOUT_NETWORK("MC152", "@FastPath on %s, which is neither a @Model nor a @Block",
            "add @Block (or @Model) to the class that stands for the fused module, or remove @FastPath"),
    NOTHING_RUNS("MC150", "%s runs no layers: %s", "check the @When conditions; a network without layers has no costs to give"),
    UNREACHABLE_USER("MC147", Kind.WARNING, "model %s, which an earlier build recorded as applying block %s, is not on the class path: its "
            + "Cost class and reports, left from that build, are not written again", "put the class output on the class path, as build tools do, "
            + "or compile the model too"),
    BOUND_ON_NOTHING("MC143", Kind.WARNING, "%s: @Budget(%s) bounds %s, which is 0 for this model (%s): the bound checks nothing",
            "remove it, or bound a figure the model has"),
    IN_PLACE_NAMES("MC125", "%s: block %s, applied in place, brings a field named '%s', a name this network already has",
            "rename one of the two, or apply the block as a field of its own"),
    IN_PLACE_INDEXED("MC126", "%s: @Args(inPlace = true) in %s, which numbers its children: the block's fields would take numbers, not their names",
            "drop indexed from the container, or apply the block as a field of its own"),
    FUNCTIONAL_NOT_A_LAYER("MC127", "@Functional on field %s: %s; only a layer that PyTorch holds as a module can be called as a function instead",
            "remove @Functional"),
    DTYPE("MC128", "@Dtype(%s = \"%s\") on field %s is not a dtype modelcost knows%s", "write one of %s"),
    DTYPE_EMPTY("MC131", "@Dtype on field %s gives neither weights nor activations", "give weights, activations or both, or remove @Dtype"),
    UNKNOWN_HARDWARE("MC132", "@%s(hardware = \"%s\") is not a hardware profile modelcost knows%s",
            "name one of %s, or declare it in @Roofline(custom = @Hardware(...))"),
    HARDWARE_PROFILE("MC133", "@Roofline(custom) profile '%s' %s", "%s"),
    ROOFLINE_SETTING("MC134", "@Roofline(%s = %s) %s", "%s"),
    TRAINING_SETTING("MC136", "@Training(%s = %s) %s", "%s"),
    TRAINING_WITHOUT_MODEL("MC137", "@Training on %s, which is not a @Model", "add @Model, or remove @Training: only a model has a training step"),
    TRAINING_QUANTIZED("MC138", "@Training on %s, whose weights are %s: weights of 8 bits or fewer are not trained as such (PyTorch's optimizers update "
            + "fp32, fp16 and bf16 ones)",
            "declare the dtype the model trains in (fp32, or fp16/bf16 with mixedPrecision = true), or drop @Training"),
    SIZE_NAME("MC139", "@Model(sizes) names \"%s\", %s%s", "%s"),
    SIZE_RANGE("MC140", "@Budget(over = \"%s\") %s", "%s"),
    RANGE_END_UNREACHED("MC157", Kind.WARNING, "@Budget(over = \"%s\"): the range %s ends at %s, not at %s, which its steps pass over (it "
            + "checks %s)", "start it where its steps reach the end, %s, or step by a divisor of the span to end at %s"),
    BOUND_IN_TWO_BUDGETS("MC158", "@Budget(%s) %s", "%s"),
    STALE_COST_CLASS("MC159", "cannot write %s: javac is compiling %s, which an earlier build generated for this model, and the class "
            + "it would write now differs from it", "delete that file (mvn clean), and build again: a build that fails after the class is "
            + "written leaves the file, and Maven with useIncrementalCompilation=false passes it back to javac"),
    NOT_WRITTEN("MC160", "cannot write the files of %s: %s", "javac writes class files and reports to its class output directory (-d) "
            + "and generated sources to its source output directory (-s): make sure both can be created and written"),
    RELEASE_BEFORE_17("MC161", "@Model needs Java 17 or later: the class it generates uses dev.modelcost's types, which are Java 17 "
            + "class files, and a record, but this compilation is for release %s", "compile with --release 17 or later"),
    SIZE_BOUND("MC156", "@Model(sizes) bounds a size with \"%s\", but %s", "%s"),
    ROOFLINE_WITHOUT_MODEL("MC135", "@Roofline on %s, which is not a @Model", "add @Model, or remove @Roofline: only a model has a latency bound"),
    DTYPE_PLACE("MC129", "@Dtype on field %s, which %s; a dtype is a layer's", "write @Dtype on the fields of layers (a block's, in the block), or @Model(dtype) for the whole model"),
    BUDGET_WITHOUT_MODEL("MC118", "@Budget on %s, which is not a @Model", "add @Model, or remove @Budget: only a model's costs are checked against a budget"),

    // Expressions, arguments and references.
    EXPRESSION_SYNTAX("MC201", "%s: cannot parse %s: %s", "%s"),
    UNKNOWN_NAME("MC202", "%s: unknown name '%s' in '%s'%s", ""),
    EXPRESSION_TYPE("MC203", "%s: %s in '%s'", ""),
    DIVISION_BY_ZERO("MC204", "%s: division by zero in '%s' (%s)", ""),
    UNKNOWN_ARGUMENT("MC205", "%s: block %s has no parameter '%s'%s", ""),
    MISSING_ARGUMENT("MC206", "%s: block %s needs parameter '%s', which has no default", "pass it, e.g. @Args(\"%s = ...\")"),
    DUPLICATE_ARGUMENT("MC207", "%s: '%s' is given twice", "give each argument or attribute once"),
    UNKNOWN_ATTRIBUTE("MC208", "%s: @%s has no attribute '%s'%s", ""),
    ATTRIBUTE_TWICE("MC209", "%s: '%s' is given both as a literal and in '%s'", "keep one of the two"),
    UNKNOWN_INPUT("MC210", "%s: '%s' names no earlier field or input%s", "name %s"),
    ARITY("MC211", "%s: %s takes %s, got %d", ""),
    BLOCK_CYCLE("MC212", "block %s contains itself: %s", "break the cycle; a block cannot apply itself directly or through others"),
    REPEAT_COUNT("MC213", "%s: @Repeat count must be from 1 to 2,147,483,647, but is %,d", ""),
    REPEAT_NAMES("MC214", "%s: %s%s", "%s"),
    FIELD_ORDER_UNKNOWN("MC215", "%s: the declaration order of block %s's fields is unknown: the block comes from a class file, whose fields this compiler (ECJ) gives sorted by name, and %s", "compile %s with modelcost's processor, which records the order, or in the same compilation as this model, or compile this model with javac"),

    // Shapes.
    CHANNEL_MISMATCH("MC301", "%s: %s expects %s = %d but %s produces %d %s", "remove %s to infer it, or fix the layer before"),
    INPUT_RANK_MISMATCH("MC302", "%s: %s takes %s input, but %s produces shape %s", "%s"),
    MISSING_ATTRIBUTE("MC303", "%s: %s needs %s", ""),
    EMPTY_OUTPUT("MC304", "%s: %s window %s does not fit the padded input %d on the %s axis%s", "use a smaller kernel or dilation, more padding, or a larger input"),
    GROUPS_NOT_DIVIDING("MC305", "%s: %s %s = %d does not divide %s = %d", ""),
    POOL_PADDING("MC306", "%s: %s padding %d exceeds half the window %d", "PyTorch rejects padding larger than half the kernel, whatever the dilation"),
    MERGE_SHAPES("MC307", "%s: %s cannot combine %s", ""),
    CHUNK_INDEX("MC308", "%s: index %d is out of range for %d chunks", ""),
    ATTRIBUTE_VALUE("MC310", "%s: %s %s = %s must be %s", ""),
    DIM_RANGE("MC311", "%s: %s %s = %d %s an input of %d dimensions (batch included)", "%s"),
    RESHAPE_ELEMENTS("MC312", "%s: %s cannot reshape %s (%d elements) to %s", "%s"),
    NOT_A_PERMUTATION("MC313", "%s: %s dims = %s %s", "%s"),
    MATMUL_INNER("MC314", "%s: %s cannot multiply %s %s by %s %s: inner sizes %d and %d differ", "%s"),
    INPUT_DTYPE("MC315", "%s: %s takes %s, but %s produces %s", "%s"),
    INDEX_RANGE("MC316", "%s: %s %s = %s %s", ""),
    TIED_SHAPES("MC317", "%s: a weight of %s cannot be tied to %s, whose table is %s", "tie layers whose weights have the same shape: a Linear(in, out) to an Embedding(out, in), an Embedding to one of the same numEmbeddings and embeddingDim"),
    OUTPUT_PADDING("MC318", "%s: %s outputPadding%s = %d must be smaller than the stride (%d) or the dilation (%d)", "PyTorch refuses it: the extra output row would lie beyond every window"),
    RESIZE("MC319", "%s: %s %s", "%s"),
    PADDING_RANGE("MC320", "%s: %s %s = %d on the %s axis of size %d %s", "%s"),
    RECURRENT_STATE("MC321", "%s: %s initial state %s must be %s, but %s produces %s", "give the states as PyTorch shapes them without the batch: %s"),
    FUNCTIONAL_PARAMETERS("MC322", "%s: @Functional %s has %,d parameters, but a function holds none",
            "remove @Functional: a layer with weights is a module (its weights are the module's parameters); where the code passes a "
            + "module's weights to the function, F.linear(x, self.qkv.weight, self.qkv.bias), write @Functional(moduleWeights = true)"),
    FUNCTIONAL_MODULE_WEIGHTS("MC429", "%s: @Functional(moduleWeights = true) %s %s", "%s"),
    FEATURES_MISMATCH("MC323", "%s: %s takes %s = %d%s, but %s produces %d %s", "set %s = %d"),
    SHARED_WEIGHTS("MC324", "%s: calls the module of %s again, but %s", "%s"),
    FLATTEN_DIMS("MC309", "%s: Flatten(startDim = %d, endDim = %d) does not fit an input of %d dimensions (batch included)", "dimensions count the batch as 0; flatten from 1"),

    // Costs and budgets.
    OVERFLOW("MC401", "%s: %s is too large to count exactly", "counts are exact 64-bit integers and every size a 32-bit one; check the sizes"),
    OVER_BUDGET("MC402", "%s = %,d exceeds the budget %s = %,d by %s%%; largest: %s", ""),
    BUDGET_NOT_POSITIVE("MC403", "@Budget(%s = %d) must be positive", "remove the bound or make it positive"),
    UNKNOWN_COUNTER("MC404", "@Budget(counter = \"%s\") is not a counter modelcost reproduces%s", "name one of %s"),
    COUNTER_BOUND("MC405", "@Budget(counter = \"%s\") states maxMacs and maxParams in that counter's convention, but %s is given too",
            "drop %s, or the counter: one @Budget states its bounds in one convention"),
    COUNTER_OVER_BUDGET("MC407", "%s = %,d exceeds the budget %s = %,d, stated in %s's convention, by %s%%; modelcost's own %s is %,d%s", ""),
    COUNTER_WITHOUT_BOUND("MC408", "@Budget(counter = \"%s\") bounds nothing", "give maxMacs or maxParams, the figures stated in that counter's convention, or drop the counter"),
    COUNTER_CANNOT("MC406", "@Budget(counter = \"%s\") bounds %s, but %s", "%s"),
    HARDWARE_DTYPE("MC409", "%s: %s computes in %s, but profile %s lists no %s rate", "%s"),
    LATENCY_OVER_BUDGET("MC410", "the roofline latency lower bound %son %s, %s, exceeds the budget %s = %s by %s%%: "
            + "even an eager, unfused execution at %s is too slow; largest: %s", ""),
    LATENCY_WITHOUT_HARDWARE("MC411", "@Budget(%s = %s) names no hardware, and the model has no @Roofline",
            "name a profile in @Budget(hardware = \"...\"), or add @Roofline(hardware = ...)"),
    LATENCY_BUDGET_VALUE("MC412", "@Budget(%s = %s) must be a number of seconds from 1e-12 to 1e9", "remove the bound or give it in seconds"),
    TRAINING_WITHOUT_STEP("MC415", "@Budget(maxTrainingMemoryBytes) bounds a training step, but the model declares none",
            "add @Training(batch = ..., optimizer = ...) to the model, or drop the bound"),
    IN_PLACE_ON_SAVED("MC416", "%s: the in-place %s overwrites a tensor that %s saved for backward; PyTorch's backward refuses it "
            + "(\"one of the variables needed for gradient computation has been modified by an inplace operation\")",
            "drop inplace = true on %s, as training code does where a saved tensor is in the way"),
    IN_PLACE_ON_KEPT("MC423", "%s: the in-place %s overwrites a tensor that %s needs to recompute its activations in backward "
            + "(recompute = true); PyTorch's backward raises no error but recomputes from the overwritten values, and the gradients are wrong",
            "drop inplace = true on %s"),
    TRAINING_REFUSED("MC424", "%s: in training the %s is given %s", "%s"),
    TRAINING_VIEW_REFUSED("MC425", "the training step cannot run: %s",
            "drop inplace = true on the layer that modifies it in place, or take a part with @Slice (a view of one output, which may be "
                    + "modified in place) instead of @Chunk"),
    NOTHING_TO_TRAIN("MC426", "%s has no parameters and its inputs require no grad: its training step has nothing to train, and PyTorch's "
            + "backward raises (\"element 0 of tensors does not require grad and does not have a grad_fn\")",
            "give the model a layer with weights, or write @Training(inputsRequireGrad = true) for a model that stands for part of a network"),
    EMPTY_BUDGET("MC427", "@Budget bounds nothing", "give it a bound (maxMacs, maxParams, maxPeakActivationBytes, maxLatencySeconds, ...), or drop it"),
    DOES_NOT_FIT("MC417", Kind.WARNING, "%s needs %s bytes for inference (weights %s, activations at their peak %s, KV cache %s), "
            + "more than the %s of %s", "quantize the weights (@Model(dtype)), shorten the sequence or the batch, or split the model across devices"),
    SIZE_CANNOT_VARY("MC418", "the size %s cannot vary: %s", "%s"),
    NO_CLOSED_FORM("MC419", "the costs have no closed form in %s %s: %s",
            "remove %s from @Model(sizes); where a cost changes form within a few sizes of the declared one on both sides (sliding windows), "
                    + "declare a size farther from the changes; else report the layer whose cost is not a polynomial in the sizes"),
    RANGE_OVER_BUDGET("MC420", "%s = %s at %s exceeds the budget %s = %,d by %s%%, the first size of over = \"%s\" that breaks it", ""),
    RANGE_WITHOUT_FORM("MC421", "@Budget(%s) cannot be checked over \"%s\": %s", "%s"),
    RANGE_LATENCY_OVER_BUDGET("MC430", "the roofline latency lower bound %son %s at %s, %s, exceeds the budget %s = %s by %s%%, the first "
            + "size of over = \"%s\" that breaks it; largest there: %s", ""),
    REPETITIONS_DO_NOT_FOLD("MC422", "%s: a @Repeat of %,d repetitions that do not fold into one%s is more than the %,d analysed",
            "repetitions fold where each keeps its shape and arguments (a residual block); repeat a block that does (two alternating "
            + "steps in one), or repeat fewer times"),
    LAYERS_DO_NOT_FOLD("MC431", "%s: its layers make more than %,d leaves that do not fold into runs of one @Repeat, too many to walk one by one",
            "repetitions fold only within one @Repeat field: apply a block again and again as @Repeat rather than as fields that apply "
            + "it each, or build a smaller network"),
    TOO_MANY_LAYERS("MC428", "%s: %s %s layers, more than the 2,147,483,647 a model may have",
            "LAYER_COUNT is an int and the layer table a list: repeat fewer times"),
    MEMORY_OVER_BUDGET("MC414", "%s = %,d exceeds the budget %s = %,d by %s%%: %s", ""),
    HARDWARE_WITHOUT_BOUND("MC413", "@Budget(hardware = \"%s\") bounds nothing", "give maxLatencySeconds or maxDecodeLatencySeconds, the bounds checked on that hardware, or drop hardware"),

    // The processor itself.
    OUT_OF_MEMORY("MC902", "modelcost ran out of memory on %s, with a heap of %s", "give the compiler a larger heap: javac -J-Xmx8g; "
            + "Maven compiles in its own JVM, MAVEN_OPTS=-Xmx8g, unless the compiler is forked (then <maxmem>8g</maxmem>); a model's "
            + "layers take about 12 KB each, those in runs of one @Repeat once a run"),
    INTERNAL_ERROR("MC901", "modelcost failed on %s: %s", "please report it with the model source; -Amodelcost.debug=true prints the stack trace");

    private final String tag;
    private final Kind kind;
    private final String format;
    private final String fix;

    Diagnostic(String tag, String format, String fix) {
        this(tag, Kind.ERROR, format, fix);
    }

    Diagnostic(String tag, Kind kind, String format, String fix) {
        this.tag = tag;
        this.kind = kind;
        this.format = format;
        this.fix = fix;
    }

    /** The stable tag, e.g. {@code MC301}. */
    public String tag() {
        return tag;
    }

    /** The kind javac reports it as: an error, or a warning for a spec that costs as written but is likely wrong. */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether this warning is suppressed at {@code element}, as Java's own are: {@code @SuppressWarnings} with its tag
     * ({@code "MC130"}), {@code "modelcost"} or {@code "all"} on the element or on any element around it (the field's class, an
     * outer class), as {@code suppressed} gives their values (a class read from its class file keeps none of its own). An error
     * never is.
     */
    public boolean suppressedAt(javax.lang.model.element.Element element,
            java.util.function.Function<javax.lang.model.element.Element, java.util.Set<String>> suppressed) {
        if (kind == Kind.ERROR) {
            return false;
        }
        for (javax.lang.model.element.Element at = element; at != null && at.getKind() != javax.lang.model.element.ElementKind.PACKAGE;
                at = at.getEnclosingElement()) {
            java.util.Set<String> values = suppressed.apply(at);
            if (values.contains(tag) || values.contains("modelcost") || values.contains("all")) {
                return true;
            }
        }
        return false;
    }

    /** The full message: tag, text and fix, with the arguments filled in (the fix may use them too). */
    public String format(Object... args) {
        String text = String.format(java.util.Locale.ROOT, format, args);
        String hint = fix.isEmpty() ? "" : String.format(java.util.Locale.ROOT, fix, fixArguments(args));
        return "[" + tag + "] " + text + (hint.isBlank() ? "" : " (fix: " + hint + ")");
    }

    /** The fix consumes the arguments after those of the text. */
    private Object[] fixArguments(Object[] args) {
        int used = countPlaceholders(format);
        if (used >= args.length) {
            return new Object[0];
        }
        Object[] rest = new Object[args.length - used];
        System.arraycopy(args, used, rest, 0, rest.length);
        return rest;
    }

    private static int countPlaceholders(String format) {
        int count = 0;
        for (int i = 0; i < format.length() - 1; i++) {
            if (format.charAt(i) == '%') {
                char next = format.charAt(i + 1);
                if (next == '%') {
                    i++;
                } else {
                    count++;
                }
            }
        }
        return count;
    }
}
