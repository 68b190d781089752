package dev.modelcost;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's figures at any size, the sizes off its closed forms' lattice included, as the processor
 * established them: every size of every tensor followed from the size variables through each layer's
 * shape rule, and every figure an exact linear combination of products of those sizes.
 *
 * <p><b>Sizes.</b> Each size the network has is a <i>dimension</i>: the variables themselves
 * (dimensions {@code 0 .. n-1}, in the order of {@link Model#sizes()}), then, in order, one per
 * layer output that changes with them, computed from earlier ones by one of three rules:
 * <ul>
 * <li>{@code map}: a layer's rule on one axis, {@code out = offsets[(x - x0) mod p] + slope·floor((x - x0) / p)}
 *     for an input of {@code x >= x0} positions: PyTorch's {@code floor((x + 2·padding - dilation·(k - 1) - 1) / stride) + 1}
 *     is such a rule with period {@code stride}, and so are ceil mode, transposed convolutions and scale factors;
 *     below {@code x0} the layer has no output, and the network does not exist;</li>
 * <li>{@code cost}: a {@code map} whose values are a layer's cost, not a tensor's size (adaptive pooling's window sums, which
 *     follow floors and ceilings of its input's fraction), so not bounded by the largest dimension;</li>
 * <li>{@code mul}: a constant times the product of dimensions (a flatten of {@code H} and {@code W});</li>
 * <li>{@code add}: a constant plus their sum (a concatenation along that axis, a padding by
 *     another tensor's size less this one's).</li>
 * </ul>
 * A tensor's size below 1 means the network does not exist there.
 * A merge of two dimensions that must be equal (an addition of two branches) is checked, and so is a
 * layer that PyTorch refuses with too few values: at inference a norm without running statistics (an
 * instance norm given one spatial element), in training a batch norm given one value per channel (the
 * step's batch times the positions of its input). A layer that takes an axis it drops only from a size on
 * (a select of index 60 needs 61 positions on it, and one of index {@code x.W / 2 + 20} 41) is checked too. A
 * dimension whose layers' rules were learned only up to a size (the sizes it takes where the closed
 * forms hold, where a rule changes past them: a slice of a table of positions) is refused above it.
 *
 * <p><b>Figures.</b> Each figure is {@code (c₁·m₁ + c₂·m₂ + …) / d} over the program's monomials
 * {@code m}, each a product of dimensions (the elements of a tensor, less its fixed sizes; sizes of several tensors that a layer's
 * work multiplies, as a cross-attention's queries and keys; and those times the batch where it is a variable), with
 * integer coefficients; the activation peak and the inference memory are the largest of several such
 * sums (the live bytes while each layer runs), and the bytes moved of a model whose layers gather weights by token ids the smallest
 * of several (an embedding reads its rows, or at most its whole table). The processor solved the coefficients from the model
 * compiled at sizes where the monomials are independent, each other monomial tied to them (a {@code tie}: the same combination of
 * them at every size the processor tried, which the program checks wherever it answers), and checked them at every other size it
 * compiled, on and off the lattice.
 *
 * <p>The generated classes hold a program as text, which {@link #parse} reads: one item per line,
 * fields separated by tabs; dimensions are referred to by number ({@code 3}) and outputs by
 * {@code #3} or a literal size:
 * <pre>
 * dim    map  SRC  X0  P  SLOPE  O0,O1,..  LAYER  AXIS
 * dim    cost SRC  X0  P  SLOPE  O0,O1,..  LAYER  AXIS
 * dim    mul  C    SRC,SRC,..  [LAYER  AXIS]
 * dim    add  C    SRC,SRC,..  [LAYER  AXIS]
 * equal  A    B    LAYER  AXIS  [exact]   (exact: the layer takes no 1 against the other; else it broadcasts, which the program does not follow)
 * basis  SRC,SRC,..          (empty: the constant 1)
 * tie    M  C1,C2,..         (sizes at which c₁·m₁ + c₂·m₂ + … is not 0 are refused: the processor found that combination of
 *                             the monomials 0 at every size it tried, and solved the figures without monomial M, which it ties
 *                             to the others)
 * figure NAME D    C1,C2,..  (a figure named again: one more part of a maximum, or of a minimum where a smallest line names it)
 * smallest NAME             (the parts of figure NAME make a minimum, not a maximum)
 * output #SRC | SIZE
 * from   V    SIZE  WHY     (variable V's sizes below SIZE are refused, for WHY: the program holds from it)
 * to     V    SIZE  WHY     (variable V's sizes above SIZE are refused, for WHY: the program holds up to it)
 * most   SRC  SIZE  LAYER  AXIS   (sizes at which dimension SRC passes SIZE are refused: LAYER's rules hold up to it)
 * least  C    SRC,SRC,..  MIN  LAYER  WHAT  [training]   (sizes at which C times the product of the dimensions is below MIN
 *                                     are refused: LAYER takes at least MIN of WHAT, "value per channel" or "positions on its W axis", in
 *                                     training only where so marked)
 * when   SRC  LO  HI  WHEN  SIZE  [followed]   (sizes at which dimension SRC is below LO, or above HI where HI is not 0, are
 *                                     refused with {@link StepsDiffer}: the test WHEN, a step's {@code @When("..")} or a condition of a
 *                                     layer's attribute, reads it as SIZE, and holds as at the declared sizes only from LO to HI, so that
 *                                     the network may take other steps elsewhere; followed: HI is as far as the processor followed it)
 * established SIZE,SIZE,..  (the sizes, one per variable, the program was established at, where the declared ones sit just below a
 *                                     test that turns: the when lines' boxes hold around these)
 * </pre>
 * Immutable and thread-safe.
 */
public final class SizeProgram {
    private final String model;
    private final List<String> variables;
    /** The dimensions' rules and the checks, in order: a check runs once the dimensions before it are known. */
    private final List<long[]> steps = new ArrayList<>();
    /** Per step, the layer and the axis its messages name (null for a product or a sum). */
    private final List<String[]> labels = new ArrayList<>();
    private int dims;
    /** The dimensions, counted from the first after the variables, whose rule is a {@code cost}. */
    private final java.util.Set<Integer> costs = new java.util.HashSet<>();
    private final List<int[]> basis = new ArrayList<>();
    /** Combinations of the monomials that are 0 wherever the program answers ({@code tie} lines), each over a denominator of 1 as a figure's part. */
    private final List<BigInteger[]> ties = new ArrayList<>();
    /** Per tie, the monomial it ties to the others. */
    private final List<Integer> tied = new ArrayList<>();
    /** Per dimension, the layer whose output it is, or null (a variable, a product or a sum without one). */
    private final List<String> layers = new ArrayList<>();
    private final Map<String, List<BigInteger[]>> figures = new LinkedHashMap<>();
    /** The figures whose parts make a minimum ({@code smallest} lines); the others' make a maximum. */
    private final java.util.Set<String> smallest = new java.util.HashSet<>();
    private final List<Long> output = new ArrayList<>();
    /** Per variable, the smallest size the program answers (1 unless a {@code from} line says otherwise), and why not below it. */
    private final long[] from;
    private final String[] fromWhy;
    /** Per variable, the largest size the program answers ({@link Long#MAX_VALUE} unless a {@code to} line says otherwise), and why not above it. */
    private final long[] to;
    private final String[] toWhy;
    /**
     * The sizes the program was established at ({@code established} line), where they are not the declared ones, which sit just below
     * a test that turns; null where they are the declared ones.
     */
    private final String[] established = new String[1];

    private static final long MAP = 0;
    private static final long MUL = 1;
    private static final long ADD = 2;
    private static final long EQUAL = 3;
    private static final long MOST = 4;
    private static final long LEAST = 5;
    private static final long WHEN = 6;

    /**
     * Thrown by {@link #at} where a {@code @When} that reads the sizes, or a condition of a layer's attribute that does, may not hold
     * there as at the declared sizes, so that the network may take other steps than the program follows: the model compiled at those
     * sizes answers there.
     */
    public static final class StepsDiffer extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        StepsDiffer(String message) {
            super(message);
        }
    }

    private SizeProgram(String model, List<String> variables) {
        this.model = model;
        this.variables = List.copyOf(variables);
        this.from = new long[variables.size()];
        this.fromWhy = new String[variables.size()];
        Arrays.fill(from, 1);
        this.to = new long[variables.size()];
        this.toWhy = new String[variables.size()];
        Arrays.fill(to, Long.MAX_VALUE);
    }

    /**
     * Reads a program.
     *
     * @param model the model's simple name, for messages
     * @param variables the size variables, in the order {@link #at} takes them
     * @param text the program, as the class description says
     * @throws IllegalArgumentException if the text is not such a program
     */
    public static SizeProgram parse(String model, List<String> variables, String text) {
        SizeProgram program = new SizeProgram(model, variables);
        try {
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    program.read(line.split("\t", -1));
                }
            }
            program.checkCoefficients();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(model + ": not a size program: " + e.getMessage(), e);
        }
        return program;
    }

    /** Every figure's parts and every tie has one coefficient per monomial of the whole basis; every minimum is a figure's. */
    private void checkCoefficients() {
        for (String figure : smallest) {
            if (!figures.containsKey(figure)) {
                throw new IllegalArgumentException("smallest of " + figure + ", which has no parts");
            }
        }
        figures.forEach((figure, parts) -> parts.forEach(part -> {
            if (part.length != basis.size() + 1) {
                throw new IllegalArgumentException(figure + ": " + (part.length - 1) + " coefficients for " + basis.size() + " monomials");
            }
        }));
        for (BigInteger[] tie : ties) {
            if (tie.length != basis.size() + 1) {
                throw new IllegalArgumentException("tie of " + (tie.length - 1) + " coefficients for " + basis.size() + " monomials");
            }
        }
    }

    private void read(String[] f) {
        switch (f[0]) {
            case "dim" -> {
                long kind = switch (f[1]) {
                    case "map", "cost" -> MAP;
                    case "mul" -> MUL;
                    case "add" -> ADD;
                    default -> throw new IllegalArgumentException("rule " + f[1]);
                };
                if (kind == MAP) {
                    long[] offsets = numbers(f[6]);
                    long[] rule = new long[5 + offsets.length];
                    rule[0] = MAP;
                    rule[1] = reference(f[2]);
                    rule[2] = Long.parseLong(f[3]);
                    rule[3] = Long.parseLong(f[4]);
                    rule[4] = Long.parseLong(f[5]);
                    if (rule[3] != offsets.length || rule[3] < 1) {
                        throw new IllegalArgumentException("period " + rule[3] + " with " + offsets.length + " offsets");
                    }
                    System.arraycopy(offsets, 0, rule, 5, offsets.length);
                    steps.add(rule);
                    labels.add(new String[] {f[7], f[8]});
                    layers.add(f[7]);
                    if (f[1].equals("cost")) {
                        costs.add(dims);
                    }
                } else {
                    long[] sources = numbers(f[3]);
                    long[] rule = new long[2 + sources.length];
                    rule[0] = kind;
                    rule[1] = Long.parseLong(f[2]);
                    for (int i = 0; i < sources.length; i++) {
                        rule[2 + i] = reference((int) sources[i]);
                    }
                    steps.add(rule);
                    labels.add(f.length > 5 ? new String[] {f[4], f[5]} : null);
                    layers.add(f.length > 5 ? f[4] : null);
                }
                dims++;
            }
            case "most" -> {
                steps.add(new long[] {MOST, reference(f[1]), Long.parseLong(f[2])});
                labels.add(new String[] {f[3], f[4]});
            }
            case "least" -> {
                long[] sources = numbers(f[2]);
                long[] rule = new long[4 + sources.length];
                rule[0] = LEAST;
                rule[1] = Long.parseLong(f[1]);
                rule[2] = Long.parseLong(f[3]);
                rule[3] = f.length > 6 && f[6].equals("training") ? 1 : 0;
                for (int i = 0; i < sources.length; i++) {
                    rule[4 + i] = reference((int) sources[i]);
                }
                steps.add(rule);
                labels.add(new String[] {f[4], f[5]});
            }
            case "when" -> {
                steps.add(new long[] {WHEN, reference(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                        f.length > 6 && f[6].equals("followed") ? 1 : 0});
                labels.add(new String[] {f[4], f[5]});
            }
            case "equal" -> {
                steps.add(new long[] {EQUAL, reference(f[1]), reference(f[2]), f.length > 5 && f[5].equals("exact") ? 0 : 1});
                labels.add(new String[] {f[3], f[4]});
            }
            case "basis" -> {
                long[] sources = numbers(f[1]);
                int[] monomial = new int[sources.length];
                for (int i = 0; i < sources.length; i++) {
                    monomial[i] = reference((int) sources[i]);
                }
                basis.add(monomial);
            }
            case "tie" -> {
                int monomial = Integer.parseInt(f[1]);
                String[] coefficients = f[2].split(",");
                if (monomial < 0 || monomial >= basis.size()) {
                    throw new IllegalArgumentException("tie of monomial " + monomial + " of " + basis.size());
                }
                BigInteger[] part = new BigInteger[coefficients.length + 1];
                part[0] = BigInteger.ONE;
                for (int i = 0; i < coefficients.length; i++) {
                    part[i + 1] = new BigInteger(coefficients[i]);
                }
                ties.add(part);
                tied.add(monomial);
            }
            case "figure" -> {
                String[] coefficients = f[3].isEmpty() ? new String[0] : f[3].split(",");
                BigInteger[] part = new BigInteger[coefficients.length + 1];
                part[0] = new BigInteger(f[2]);
                if (part[0].signum() <= 0) {
                    throw new IllegalArgumentException(f[1] + ": denominator " + part[0]);
                }
                for (int i = 0; i < coefficients.length; i++) {
                    part[i + 1] = new BigInteger(coefficients[i]);
                }
                figures.computeIfAbsent(f[1], name -> new ArrayList<>()).add(part);
            }
            case "smallest" -> smallest.add(f[1]);
            case "output" -> output.add(f[1].startsWith("#") ? -1L - reference(f[1].substring(1)) : Long.parseLong(f[1]));
            case "from", "to" -> {
                int v = Integer.parseInt(f[1]);
                if (v < 0 || v >= variables.size()) {
                    throw new IllegalArgumentException("variable " + v);
                }
                (f[0].equals("from") ? from : to)[v] = Long.parseLong(f[2]);
                (f[0].equals("from") ? fromWhy : toWhy)[v] = f[3];
            }
            case "established" -> {
                long[] sizes = numbers(f[1]);
                if (sizes.length != variables.size()) {
                    throw new IllegalArgumentException("established at " + sizes.length + " sizes");
                }
                established[0] = describe(sizes);
            }
            default -> throw new IllegalArgumentException("item " + f[0]);
        }
    }

    private static long[] numbers(String list) {
        return list.isEmpty() ? new long[0] : Arrays.stream(list.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /** A dimension defined before the one being read. */
    private int reference(String text) {
        return reference(Integer.parseInt(text));
    }

    private int reference(int dim) {
        if (dim < 0 || dim >= variables.size() + dims) {
            throw new IllegalArgumentException("dimension " + dim + " before its definition");
        }
        return dim;
    }

    /** The model's simple name. */
    public String model() {
        return model;
    }

    /** The size variables, in the order {@link #at} takes them. */
    public List<String> variables() {
        return variables;
    }

    /** The figures {@link #at} gives, in its order; the output's dimensions follow them. */
    public List<String> figures() {
        return List.copyOf(figures.keySet());
    }

    /**
     * Every figure at the given sizes, in the order of {@link #figures()}, then each dimension of
     * the output shape (without the batch).
     *
     * @param sizes one value per variable, in the order of {@link #variables()}
     * @return the figures, then the output's dimensions
     * @throws IllegalArgumentException if the number of sizes is wrong, a size is below 1, or the network does not exist at
     *     those sizes: the message names the layer that has no output there, or the merge whose inputs do not fit; or where a
     *     {@code tie} does not hold there, so that the figures are not determined ({@link #determines}); a {@link StepsDiffer}
     *     where a {@code @When} or an attribute's condition that reads the sizes may not hold there as at the declared sizes
     * @throws ArithmeticException if a figure exceeds 64 bits, or a dimension 32 bits (where the processor refuses the model too)
     */
    public long[] at(long... sizes) {
        long[] values = dimensions(sizes);
        long[] result = new long[figures.size() + output.size()];
        long[] small = smallProducts(values);
        BigInteger[] monomials = small == null ? products(values) : null;
        int untied = untied(values, small);
        if (untied >= 0) {
            List<String> named = new ArrayList<>();
            for (int dim : basis.get(tied.get(untied))) {
                String name = dim < variables.size() ? variables.get(dim) : layers.get(dim - variables.size()) == null ? null
                        : layers.get(dim - variables.size()) + "'s output";
                if (name != null && !named.contains(name)) {
                    named.add(name);
                }
            }
            throw new IllegalArgumentException(model + ": its size program does not answer at " + describe(sizes) + ", where "
                    + (named.isEmpty() ? "a product of tensor sizes" : "the product of " + String.join(" and ", named) + " sizes") + " differs from"
                    + " the combination of other products it equals at every size the processor tried, and the figures were solved without it;"
                    + " compile the model at these sizes");
        }
        int i = 0;
        for (Map.Entry<String, List<BigInteger[]>> figure : figures.entrySet()) {
            boolean least = smallest.contains(figure.getKey());
            BigInteger chosen = null;
            for (BigInteger[] part : figure.getValue()) {
                BigInteger value;
                try {
                    value = small == null ? null : inLongs(part, small);
                    if (value == null) {
                        monomials = monomials == null ? products(values) : monomials;
                        value = exactly(part, monomials);
                    }
                } catch (NotAnInteger e) {
                    throw new ArithmeticException(figure.getKey() + " of " + model + " at " + describe(sizes) + " is not an integer");
                }
                chosen = chosen == null ? value : least ? chosen.min(value) : chosen.max(value);
            }
            if (chosen.bitLength() > 63) {
                throw new ArithmeticException(figure.getKey() + " of " + model + " at " + describe(sizes) + " exceeds 64 bits");
            }
            result[i++] = chosen.longValue();
        }
        for (long dim : output) {
            result[i++] = dim < 0 ? values[(int) (-1 - dim)] : dim;
        }
        return result;
    }

    /**
     * Whether the program tells the figures at the given sizes, where {@link #at} answers: every {@code tie} holds there (see the
     * class description).
     *
     * @param sizes one value per variable, in the order of {@link #variables()}
     * @throws IllegalArgumentException as {@link #at} does where the network does not exist at those sizes
     * @throws ArithmeticException if a dimension exceeds 32 bits
     */
    public boolean determines(long... sizes) {
        long[] values = dimensions(sizes);
        return untied(values, smallProducts(values)) < 0;
    }

    /** The first tie that does not hold at the dimensions {@code values} (whose monomials in 64 bits are {@code small}, or null), or -1. */
    private int untied(long[] values, long[] small) {
        BigInteger[] monomials = null;
        for (int t = 0; t < ties.size(); t++) {
            BigInteger value = small == null ? null : inLongs(ties.get(t), small);
            if (value == null) {
                monomials = monomials == null ? products(values) : monomials;
                value = exactly(ties.get(t), monomials);
            }
            if (value.signum() != 0) {
                return t;
            }
        }
        return -1;
    }

    /** A part's value in arbitrary precision; {@link NotAnInteger} where it is none. */
    private static BigInteger exactly(BigInteger[] part, BigInteger[] monomials) {
        BigInteger sum = BigInteger.ZERO;
        for (int m = 0; m < monomials.length; m++) {
            sum = sum.add(part[m + 1].multiply(monomials[m]));
        }
        BigInteger[] quotient = sum.divideAndRemainder(part[0]);
        if (quotient[1].signum() != 0) {
            throw new NotAnInteger();
        }
        return quotient[0];
    }

    /** A part's value in 64-bit arithmetic where every step fits (most calls), else null; {@link NotAnInteger} where it is none. */
    private static BigInteger inLongs(BigInteger[] part, long[] monomials) {
        long sum = 0;
        try {
            for (int m = 0; m < monomials.length; m++) {
                sum = Math.addExact(sum, Math.multiplyExact(part[m + 1].longValueExact(), monomials[m]));
            }
        } catch (ArithmeticException overflow) {
            return null;
        }
        if (part[0].bitLength() > 62) {
            return null;
        }
        long denominator = part[0].longValue();
        if (sum % denominator != 0) {
            throw new NotAnInteger();
        }
        return BigInteger.valueOf(sum / denominator);
    }

    /** A figure that is no integer, told apart from an overflow of 64 bits. */
    private static final class NotAnInteger extends RuntimeException {
        NotAnInteger() {
            super(null, null, false, false);
        }
    }

    /** The monomials in 64 bits, or null where one does not fit. */
    private long[] smallProducts(long[] values) {
        long[] products = new long[basis.size()];
        try {
            for (int m = 0; m < products.length; m++) {
                long product = 1;
                for (int dim : basis.get(m)) {
                    product = Math.multiplyExact(product, values[dim]);
                }
                products[m] = product;
            }
            return products;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /**
     * The program's monomials at the given sizes, in order: each the product of its dimensions (the
     * figures are linear combinations of them).
     *
     * @throws IllegalArgumentException as {@link #at} does where the network does not exist
     * @throws ArithmeticException if a size exceeds 64 bits
     */
    public BigInteger[] monomials(long... sizes) {
        return products(dimensions(sizes));
    }

    private BigInteger[] products(long[] values) {
        BigInteger[] monomials = new BigInteger[basis.size()];
        for (int m = 0; m < monomials.length; m++) {
            BigInteger product = BigInteger.ONE;
            for (int dim : basis.get(m)) {
                product = product.multiply(BigInteger.valueOf(values[dim]));
            }
            monomials[m] = product;
        }
        return monomials;
    }

    /**
     * Refuses the sizes at which a {@code @When} that reads them may not hold as at the declared sizes ({@code when} lines), as
     * {@link #at} does, but checks nothing else: where the closed forms answer, on their lattice, they hold only where every test
     * does, and a test of several sizes may turn at a point of the lattice the forms were not checked at.
     *
     * @param sizes one value per variable, in the order of {@link #variables()}
     * @throws StepsDiffer where a test may not hold as declared there
     * @throws IllegalArgumentException if the number of sizes is wrong
     */
    public void checkTests(long... sizes) {
        if (sizes.length != variables.size()) {
            throw new IllegalArgumentException(model + " takes " + variables + ", not " + sizes.length + " sizes");
        }
        long[] values = new long[variables.size() + dims];
        System.arraycopy(sizes, 0, values, 0, sizes.length);
        int d = variables.size();
        for (int s = 0; s < steps.size(); s++) {
            long[] rule = steps.get(s);
            if (rule[0] == WHEN) {
                checkTest(rule, labels.get(s), values, sizes);
            } else if (rule[0] == MAP || rule[0] == MUL || rule[0] == ADD) {
                Long value = value(rule, values);
                if (value == null) {
                    return; // no later size can be followed: the forms' own checks answer there
                }
                values[d++] = value;
            }
        }
    }

    /** A dimension's value by its rule from the earlier ones, or null where the rule gives none (below where a map starts). */
    private static Long value(long[] rule, long[] values) {
        if (rule[0] == MAP) {
            long x = values[(int) rule[1]];
            if (x < rule[2]) {
                return null;
            }
            return Math.addExact(rule[5 + (int) ((x - rule[2]) % rule[3])], Math.multiplyExact(rule[4], (x - rule[2]) / rule[3]));
        }
        long value = rule[1];
        for (int i = 2; i < rule.length; i++) {
            value = rule[0] == MUL ? Math.multiplyExact(value, values[(int) rule[i]]) : Math.addExact(value, values[(int) rule[i]]);
        }
        return value;
    }

    /** Throws {@link StepsDiffer} where a {@code when} rule's dimension lies outside its box. */
    private void checkTest(long[] rule, String[] label, long[] values, long[] sizes) {
        long x = values[(int) rule[1]];
        if (x < rule[2] || rule[3] > 0 && x > rule[3]) {
            String range = rule[3] == 0 ? String.format(Locale.ROOT, "only where it is from %,d up", rule[2])
                    : rule[4] == 1 ? String.format(Locale.ROOT, "where it is from %,d to %,d, as far as it was followed", rule[2], rule[3])
                    : String.format(Locale.ROOT, "only where it is from %,d to %,d", rule[2], rule[3]);
            throw new StepsDiffer(String.format(Locale.ROOT, "%s at %s: %s reads %s = %,d, and holds as at %s %s, so that "
                    + "the network may take other steps here than its size program follows; compile the model at these sizes", model,
                    describe(sizes), label[0], label[1], x, established[0] == null ? "the declared sizes" : established[0]
                            + ", where the program was established past a test that turns just above the declared sizes,", range));
        }
    }

    /** Every dimension at the given sizes, the variables first; the network's existence checked. */
    private long[] dimensions(long[] sizes) {
        if (sizes.length != variables.size()) {
            throw new IllegalArgumentException(model + " takes " + variables + ", not " + sizes.length + " sizes");
        }
        long[] values = new long[variables.size() + dims];
        for (int v = 0; v < sizes.length; v++) {
            if (sizes[v] < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s = %d is below 1", model, variables.get(v), sizes[v]));
            }
            if (sizes[v] < from[v]) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s = %d is below %d, the smallest size its size program answers (%s)",
                        model, variables.get(v), sizes[v], from[v], fromWhy[v]));
            }
            if (sizes[v] > to[v]) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s = %d is above %d, the largest size its size program answers (%s)",
                        model, variables.get(v), sizes[v], to[v], toWhy[v]));
            }
            values[v] = sizes[v];
        }
        int d = variables.size();
        String untrainable = null;
        for (int s = 0; s < steps.size(); s++) {
            long[] rule = steps.get(s);
            String[] label = labels.get(s);
            if (rule[0] == MOST) {
                if (values[(int) rule[1]] > rule[2]) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s at %s: %s gets %,d positions on its %s axis, more than the "
                            + "%,d its shape rules were followed up to (the sizes it takes where the closed forms hold); compile the model at "
                            + "these sizes, which also tells whether the network exists there", model, describe(sizes), label[0],
                            values[(int) rule[1]], label[1], rule[2]));
                }
                continue;
            }
            if (rule[0] == WHEN) {
                checkTest(rule, label, values, sizes);
                continue;
            }
            if (rule[0] == LEAST) {
                // Every dimension is at least 1: once the product reaches MIN it stays there, and never passes 64 bits before.
                long product = rule[1];
                for (int i = 4; i < rule.length && product < rule[2]; i++) {
                    product = Math.multiplyExact(product, values[(int) rule[i]]);
                }
                boolean training = rule[3] == 1;
                if (product < rule[2] && !training) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s does not exist at %s: %s has %,d %s, fewer than the %,d "
                            + "PyTorch takes", model, describe(sizes), label[0], product, label[1], rule[2]));
                }
                // In training, said once every dimension is known: where a later layer has no output, the network does not exist,
                // which says more.
                if (product < rule[2] && untrainable == null) {
                    untrainable = String.format(Locale.ROOT, "%s cannot train at %s: %s has %,d %s in training, fewer than the %,d PyTorch takes",
                            model, describe(sizes), label[0], product, label[1], rule[2]);
                }
                continue;
            }
            if (rule[0] == EQUAL) {
                long a = values[(int) rule[1]];
                long b = values[(int) rule[2]];
                if (a != b && Math.min(a, b) == 1 && rule[3] == 1) {
                    // Another axis of the same merge that does not match says the network is absent, which is the answer.
                    for (int t = s + 1; t < steps.size() && steps.get(t)[0] == EQUAL && labels.get(t)[0].equals(label[0]); t++) {
                        long c = values[(int) steps.get(t)[1]];
                        long e = values[(int) steps.get(t)[2]];
                        if (c != e && (Math.min(c, e) != 1 || steps.get(t)[3] != 1)) {
                            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s does not exist at %s: %s merges inputs of %d and %d "
                                    + "positions on its %s axis", model, describe(sizes), label[0], c, e, labels.get(t)[1]));
                        }
                    }
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s at %s: %s merges inputs of %d and %d positions on its %s axis by broadcasting, which the size program does not "
                            + "follow; compile the model at these sizes, which also tells whether the network exists there", model, describe(sizes), label[0], a, b, label[1]));
                }
                if (a != b) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s does not exist at %s: %s merges inputs of %d and %d positions on its %s axis", model, describe(sizes), label[0], a, b,
                            label[1]));
                }
                continue;
            }
            long value;
            if (rule[0] == MAP) {
                long x = values[(int) rule[1]];
                long x0 = rule[2];
                if (x < x0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s does not exist at %s: %s gets %d position%s on its %s axis, where it takes %d or more",
                            model, describe(sizes), label[0], x, x == 1 ? "" : "s", label[1], x0));
                }
                value = value(rule, values);
                if (value < 1 && !costs.contains(d - variables.size())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s does not exist at %s: %s gives %d positions on its %s axis",
                            model, describe(sizes), label[0], value, label[1]));
                }
            } else {
                value = value(rule, values);
                if (value < 1) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s does not exist at %s: %s", model, describe(sizes),
                            label == null ? "a tensor would have " + value + " positions on an axis"
                                    : label[0] + " gives " + value + " positions on its " + label[1] + " axis"));
                }
            }
            if (value > Integer.MAX_VALUE && !costs.contains(d - variables.size())) {
                throw new ArithmeticException(String.format(Locale.ROOT, "%s at %s: %s %,d positions on %s, above 2,147,483,647, the largest "
                        + "dimension the processor takes (it refuses the model at these sizes)", model, describe(sizes),
                        label == null ? "a tensor would have" : label[0] + " gives", value, label == null ? "an axis" : "its " + label[1] + " axis"));
            }
            values[d++] = value;
        }
        if (untrainable != null) {
            throw new IllegalArgumentException(untrainable);
        }
        return values;
    }

    private String describe(long[] sizes) {
        List<String> parts = new ArrayList<>();
        for (int v = 0; v < sizes.length; v++) {
            parts.add(variables.get(v) + " = " + sizes[v]);
        }
        return String.join(", ", parts);
    }
}
