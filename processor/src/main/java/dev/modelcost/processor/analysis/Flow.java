package dev.modelcost.processor.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tensors each child of a block reads and which one the block returns, for the liveness of
 * activations: sources are the block's inputs and its children's outputs.
 *
 * @param reads per child entry, in order, the sources it reads; a run of repetitions reads them in
 *     its first repetition, and each later repetition reads the one before as its first input
 * @param output the source the block returns
 * @param sized per child entry, the tensors whose sizes its attributes read besides its own input
 *     ({@code size = [input.H, input.W]}), by name; not read for liveness, as no element is
 * @param unreadOnPurpose the child entries whose output nothing in the spec reads, on purpose: a field whose MC130 is
 *     suppressed stands for a second output of the model (a pooler's) or an edge the spec does not draw (a router's), which
 *     the PyTorch code uses
 * @param loop whether the block is repetitions its caller runs in a loop of its own ({@code @Repeat(loop = true)}), which drops
 *     the block's first input once the first child has run, where nothing else reads it
 * @param alsoReturned the model's further outputs besides {@code output} ({@code @Model(output)}'s later names), in order, each held
 *     until the model returns, also where another model applies the model class as a block; empty for any other block
 * @param tests the block's {@code @When}s that read tensors' sizes, in order, each before the child entry it precedes
 */
public record Flow(List<List<Source>> reads, Source output, List<Map<String, Source>> sized, Set<Integer> unreadOnPurpose, boolean loop,
        List<Source> alsoReturned, List<Test> tests) {
    /** Copies the lists, maps and set. */
    public Flow {
        alsoReturned = List.copyOf(alsoReturned);
        tests = List.copyOf(tests);
        reads = reads.stream().map(List::copyOf).toList();
        sized = sized.stream().map(map -> Collections.unmodifiableMap(new LinkedHashMap<>(map))).toList();
        unreadOnPurpose = Set.copyOf(unreadOnPurpose);
        if (sized.size() != reads.size()) {
            throw new IllegalArgumentException("sizes read for " + sized.size() + " of " + reads.size() + " entries");
        }
    }

    /** A flow of a block its caller calls as one module. */
    public Flow(List<List<Source>> reads, Source output, List<Map<String, Source>> sized, Set<Integer> unreadOnPurpose) {
        this(reads, output, sized, unreadOnPurpose, false, List.of(), List.of());
    }

    /** The model's flow: a block's, that also returns {@code alsoReturned} besides its output. */
    public Flow(List<List<Source>> reads, Source output, List<Map<String, Source>> sized, Set<Integer> unreadOnPurpose,
            List<Source> alsoReturned) {
        this(reads, output, sized, unreadOnPurpose, false, alsoReturned, List.of());
    }

    /** The model's flow, or a block's, with the tests of its {@code @When}s that read tensors' sizes. */
    public Flow(List<List<Source>> reads, Source output, List<Map<String, Source>> sized, Set<Integer> unreadOnPurpose,
            List<Source> alsoReturned, List<Test> tests) {
        this(reads, output, sized, unreadOnPurpose, false, alsoReturned, tests);
    }

    /** Every source the model returns: its output, then the further ones. */
    public List<Source> returned() {
        List<Source> all = new java.util.ArrayList<>(List.of(output));
        all.addAll(alsoReturned);
        return all;
    }

    /**
     * A flow whose children's attributes read no tensor's size, and whose every child's output is read or unread by mistake;
     * {@code loop} as {@link #loop()} says.
     */
    public Flow(List<List<Source>> reads, Source output, boolean loop) {
        this(reads, output, Collections.nCopies(reads.size(), Map.of()), Set.of(), loop, List.of(), List.of());
    }

    /**
     * A {@code @When} of the block that reads tensors' sizes.
     *
     * @param before the child entry it comes before (the entry of its own step where the test held), or the number of entries
     * @param step its step's field name
     * @param test the test
     * @param sources the tensors it reads, by the names of {@link SizeTest#tensors()}; one it reads but the block cannot name is absent
     */
    public record Test(int before, String step, SizeTest test, Map<String, Source> sources) {
        /** Copies the sources. */
        public Test {
            sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        }
    }

    /**
     * A tensor a child reads.
     *
     * @param entry the child entry that produced it (its last repetition, for a run), or
     *     {@code -1 - k} for the block's input {@code k}
     * @param inner for a tensor produced inside that child and read from outside it (a backbone's
     *     {@code layer3} output, read by name), its shape; null for the child's output
     * @param path for such a tensor, the name it is read by, which tells it from others of the same child
     * @param inPlace whether the path's first name is a block field applied in place ({@code @Args(inPlace = true)}), whose fields are
     *     this block's own children ({@code b.skip} is the child {@code skip}; {@code entry} is the block's last field): else it names
     *     the child at {@code entry} itself, by its field's name
     */
    public record Source(int entry, dev.modelcost.processor.layers.Shape inner, String path, boolean inPlace) {
        /** A tensor the child at {@code entry} gives, its output or one read by its path from inside it. */
        public Source(int entry, dev.modelcost.processor.layers.Shape inner, String path) {
            this(entry, inner, path, false);
        }

        /** The block's input {@code k}. */
        public static Source input(int k) {
            return new Source(-1 - k, null, null);
        }

        /** The output of child entry {@code entry}. */
        public static Source child(int entry) {
            return new Source(entry, null, null);
        }

        /** Whether this is a tensor from inside a child rather than its output. */
        public boolean isInner() {
            return inner != null;
        }

        /** Whether this is one of the block's inputs. */
        public boolean isInput() {
            return entry < 0;
        }

        /** The index of the block input this is. */
        public int input() {
            return -1 - entry;
        }
    }
}
