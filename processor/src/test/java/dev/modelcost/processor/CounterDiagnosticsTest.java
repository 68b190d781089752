package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.expectInBlock;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.lineOf;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The diagnostics of @Functional and of budgets stated in a counter's convention, each on its element and value. */
class CounterDiagnosticsTest {
    @Test
    void functionalOnAMergeIsRefusedOnTheAnnotation() {
        expectOnly(model("@Model(input = {8})", "@ReLU Layer relu;", "@Functional @Add({\"input\", \"relu\"}) Layer sum;"),
                "[MC127] @Functional on field sum: Add is a function or operator already", "Layer sum;", 5);
    }

    @Test
    void functionalOnABlockIsRefused() {
        String text = "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {8})\npublic class Net {\n"
                + "    @Functional Inner inner;\n\n    @Block static class Inner {\n        @ReLU Layer relu;\n    }\n}\n";
        expectOnly(text, "[MC127] @Functional on field inner: it applies a block", "@Functional Inner inner;", 5);
    }

    @Test
    void subclassOnSomethingThatIsNoModuleIsRefusedOnItsName() {
        expectOnly(model("@Model(input = {8})", "@ReLU Layer relu;", "@Subclass(\"MyAdd\") @Add({\"input\", \"relu\"}) Layer sum;"),
                "[MC144] @Subclass(\"MyAdd\") on field sum: Add is a function or operator, no module (fix: remove @Subclass)", "Layer sum;", 15);
        expectOnly(model("@Model(input = {8})", "@Subclass(\"MyReLU\") @Functional @ReLU Layer relu;"),
                "[MC144] @Subclass(\"MyReLU\") on field relu: is called as a function (@Functional), not as a module", "Layer relu;", 15);
        String block = "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {8})\npublic class Net {\n"
                + "    @Subclass(\"MyBlock\") Inner inner;\n\n    @Block static class Inner {\n        @ReLU Layer relu;\n    }\n}\n";
        expectOnly(block, "[MC144] @Subclass(\"MyBlock\") on field inner: it applies a block, whose layers are the modules", "Inner inner;", 15);
        expectOnly(model("@Model(input = {8})", "@Subclass(\"\") @Linear(out = 4) Layer fc;"),
                "[MC144] @Subclass(\"\") on field fc: names no class (fix: write the subclass's name as the PyTorch code writes it, e.g. "
                        + "Conv3DSimple)", "Layer fc;", 15);
        // Characters Java lets an identifier ignore (NEL, a right-to-left override) are in no Python class's name.
        for (String name : new String[] {"My\\u0085Linear", "My\\u202ELinear"}) {
            Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {8})",
                    "@Subclass(\"" + name + "\") @Linear(out = 4) Layer fc;")));
            assertThat(compilation).hadErrorContaining("on field fc: names no class");
            assertThat(compilation).hadErrorContaining("[MC144]");
            assertThat(compilation).hadErrorCount(1);
        }
    }

    @Test
    void functionalOnALayerWithParametersIsRefusedOnTheLayer() {
        expectOnly(model("@Model(input = {3, 8, 8})", "@Functional @Conv2d(cout = 4, k = 3) Layer conv;"),
                "[MC322] conv: @Functional Conv2d has 112 parameters", "Layer conv;", 5);
    }

    @Test
    void functionalModuleWeightsNeedWeightsAndAFunction() {
        expectOnly(model("@Model(input = {3, 8, 8})", "@Functional(moduleWeights = true) @ReLU Layer relu;"),
                "[MC429] relu: @Functional(moduleWeights = true) ReLU has no parameters, so no module's weights to take (fix: remove "
                        + "moduleWeights = true: a function of no weights is @Functional alone)", "Layer relu;", 5);
        String text = model("@Model(input = {8})", "@Functional(method = true, moduleWeights = true) @Linear(out = 4) Layer fc;");
        expectOnly(text, "[MC429] fc: @Functional(moduleWeights = true) Linear is called as a tensor method (method = true), which takes no "
                + "module's weights (fix: remove method = true: F.linear and F.conv2d are functions of torch.nn.functional)", "Layer fc;",
                columnAfter(text, "Layer fc;", "method = ") );
        // a tied layer takes the table's weights: accepted (its parameters count at the table)
        Compilation tied = ModelSources.compiled(model("@Model(input = {16}, layout = \"L\", tokens = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 32) Layer wte;",
                "@Functional(moduleWeights = true) @Linear(tiedTo = \"wte\", bias = false) Layer head;"));
        assertEquals(100L * 32, ModelSources.constant(tied, "test.NetCost", "PARAMS"));
        // a module never called is none to call again
        expectOnly(model("@Model(input = {8})", "@Functional(moduleWeights = true) @Linear(out = 8) Layer a;", "@Shared(\"a\") Layer b;"),
                "a is a module the code never calls, whose weights a function takes (@Functional(moduleWeights = true)), no module to call again",
                "Layer b;", 13);
        // the fix of MC322 names moduleWeights
        expectOnly(model("@Model(input = {8})", "@Functional @Linear(out = 4) Layer fc;"),
                "write @Functional(moduleWeights = true)", "Layer fc;", 5);
    }

    @Test
    void anUnknownCounterIsRefusedWithTheNearestName() {
        expectOnly(model("@Model(input = {100})\n@Budget(maxMacs = 900, counter = \"thopp\")", "@Linear(out = 10) Layer fc;"),
                "[MC404] @Budget(counter = \"thopp\") is not a counter modelcost reproduces; did you mean 'thop'?", "counter = \"thopp\"", 34);
    }

    @Test
    void aCounterBoundsOnlyMacsAndParams() {
        expectOnly(model("@Model(input = {100})\n@Budget(maxFlops = 900, counter = \"thop\")", "@Linear(out = 10) Layer fc;"),
                "[MC405] @Budget(counter = \"thop\") states maxMacs and maxParams in that counter's convention, but maxFlops is given too",
                "maxFlops = 900", 20);
        // The memory and latency bounds likewise, alone with the counter or beside maxMacs.
        expectOnly(model("@Model(input = {100})\n@Budget(maxPeakActivationBytes = 9000, counter = \"thop\")", "@Linear(out = 10) Layer fc;"),
                "[MC405] @Budget(counter = \"thop\") states maxMacs and maxParams in that counter's convention, but maxPeakActivationBytes is given "
                        + "too", "maxPeakActivationBytes = 9000", 34);
        expectOnly(model("@Model(input = {100})\n@Budget(maxMacs = 9000, maxLatencySeconds = 1, hardware = \"l4\", counter = \"thop\")",
                "@Linear(out = 10) Layer fc;"),
                "[MC405] @Budget(counter = \"thop\") states maxMacs and maxParams in that counter's convention, but maxLatencySeconds is given too",
                "maxLatencySeconds = 1", 45);
    }

    @Test
    void aCounterThatFailsOnTheModelCannotBoundIt() {
        expectOnly(model("@Model(input = {4, 8, 8})\n@Budget(maxMacs = 900, counter = \"nni\")", "@MaxPool2d(k = 2) Layer pool;"),
                "[MC406] @Budget(counter = \"nni\") bounds maxMacs, but nni fails: StopIteration", "counter = \"nni\"", 19);
    }

    @Test
    void aCounterWithoutAParameterCountCannotBoundParameters() {
        expectOnly(model("@Model(input = {100})\n@Budget(maxParams = 900, counter = \"fvcore\")", "@Linear(out = 10) Layer fc;"),
                "[MC406] @Budget(counter = \"fvcore\") bounds maxParams, but FlopCountAnalysis(model, x).total() reports no parameter count",
                "counter = \"fvcore\"", 21);
    }

    @Test
    void aBudgetInThopsMacsFailsOnThopsFigureWhereModelcostsWouldPass() {
        // Linear 100 -> 10 and an affine BatchNorm1d(10): modelcost 1,000 MACs; thop adds 4 per BatchNorm element, 1,040
        String text = model("@Model(input = {100})\n@Budget(maxMacs = 1_020, counter = \"thop\")", "@Linear(out = 10) Layer fc;", "@BatchNorm1d Layer bn;");
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC407] THOP_MACS = 1,040 exceeds the budget maxMacs = 1,020, stated in thop's convention, "
                + "by 2.0%; modelcost's own MACS is 1,000; thop differs in BatchNorm +40")
                .inFile(file).onLine(lineOf(file, "maxMacs = 1_020")).atColumn(19);
        // the same bound on modelcost's own MACs holds
        assertThat(compile(source("test.Net", model("@Model(input = {100})\n@Budget(maxMacs = 1_020)", "@Linear(out = 10) Layer fc;",
                "@BatchNorm1d Layer bn;")))).succeeded();
    }

    @Test
    void aParameterBudgetInNnisConventionCountsWhatNniCounts() {
        // Linear 100 -> 10 (1,010 parameters) and BatchNorm1d(10) (20): nni's default mode counts no BatchNorm parameters
        String text = model("@Model(input = {100})\n@Budget(maxParams = 1_000, counter = \"nni\")", "@Linear(out = 10) Layer fc;", "@BatchNorm1d Layer bn;");
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC407] NNI_PARAMS = 1,010 exceeds the budget maxParams = 1,000, stated in nni's convention, "
                + "by 1.0%; modelcost's own PARAMS is 1,030").inFile(file).onLine(lineOf(file, "maxParams = 1_000")).atColumn(21);
    }

    @Test
    void aCounterWithoutABoundIsRefused() {
        expectOnly(model("@Model(input = {100})\n@Budget(counter = \"thop\")", "@Linear(out = 10) Layer fc;"),
                "[MC408] @Budget(counter = \"thop\") bounds nothing", "counter = \"thop\"", 19);
    }

    @Test
    void aBudgetWithoutABoundIsRefused() {
        expectOnly(model("@Model(input = {100})\n@Budget", "@Linear(out = 10) Layer fc;"), "[MC427] @Budget bounds nothing", "@Budget", 1);
    }

    @Test
    void aFunctionalLayerWithParametersInsideABlockIsRefusedOnItsFunctional() {
        String text = "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {3, 8, 8})\npublic class Net {\n"
                + "    Inner inner;\n\n    @Block static class Inner {\n        @Functional @BatchNorm2d Layer bn;\n    }\n}\n";
        expectInBlock(text, "[MC322] inner.bn: @Functional BatchNorm2d has 6 parameters", "Layer bn;", 9, "Inner inner;");
    }
}
