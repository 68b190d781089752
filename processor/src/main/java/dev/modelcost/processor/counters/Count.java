package dev.modelcost.processor.counters;

/**
 * What a counter adds for one leaf.
 *
 * @param value its figure (the multiply-accumulates it reports; bias included where it counts one)
 * @param bias the part of {@code value} that is bias additions, shown apart from the layer's kind
 * @param params the parameters it reports for the leaf
 * @param unseen why the counter sees nothing, or less than modelcost counts, of the leaf's
 *     multiply-accumulates, or a caveat on its figure for the leaf; null where there is none
 * @param unknown why the counter's figure for the leaf is not reproduced; null where it is
 * @param failure the exception the tool raises on this leaf (and with it the whole count); null where it runs
 * @param inexact where the tool computes the figure in floating point and truncates it, so that at other sizes it may be no
 *     sum of products of the sizes, how; null where it counts in integers
 * @param floors where the tool's rule floors a quotient of sizes (nni's {@code in // out}), so that off a lattice of sizes the
 *     figure is no sum of products of the sizes, how; null where it does not
 * @param remainder what is left of the leaf's count where the tool divides its sum over every layer by {@code divisor} once (ptflops'
 *     module sum, by the batch) and {@code value} holds the leaf's whole quotient alone; 0 where nothing is left
 * @param divisor what that sum is divided by; 1 where it is not
 */
public record Count(long value, long bias, long params, String unseen, String unknown, String failure, String inexact, String floors,
        long remainder, long divisor) {
    /** Nothing: no figure, no parameters. */
    static final Count NONE = new Count(0, 0, 0, null, null, null);

    /** A count in integers. */
    Count(long value, long bias, long params, String unseen, String unknown, String failure) {
        this(value, bias, params, unseen, unknown, failure, null, null, 0, 1);
    }

    /** This count, computed by the tool in floating point as {@code how} says. */
    Count inexact(String how) {
        return new Count(value, bias, params, unseen, unknown, failure, how, floors, remainder, divisor);
    }

    /** This count, whose rule floors a quotient of sizes as {@code how} says. */
    Count floors(String how) {
        return new Count(value, bias, params, unseen, unknown, failure, inexact, how, remainder, divisor);
    }

    /** This count, with {@code remainder} of it left to the sum over every layer that the tool divides by {@code divisor}. */
    Count leaving(long remainder, long divisor) {
        return new Count(value, bias, params, unseen, unknown, failure, inexact, floors, remainder, divisor);
    }

    /** A figure without bias. */
    static Count of(long value, long params) {
        return new Count(value, 0, params, null, null, null);
    }

    /** A figure with a bias part. */
    static Count withBias(long value, long bias, long params) {
        return new Count(Math.addExact(value, bias), bias, params, null, null, null);
    }

    /** The counter misses modelcost's multiply-accumulates of the leaf, for {@code reason}. */
    static Count unseen(long value, long params, String reason) {
        return new Count(value, 0, params, reason, null, null);
    }

    /** The counter's figure for the leaf is not reproduced, for {@code reason}. */
    static Count unknown(String reason) {
        return new Count(0, 0, 0, null, reason, null);
    }

    /** The tool raises {@code failure} on the leaf. */
    static Count fails(String failure) {
        return new Count(0, 0, 0, null, null, failure);
    }
}
