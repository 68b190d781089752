package dev.modelcost.processor.layers;

/**
 * Whose positions an operation's output holds, where its inputs hold different ones: what a decoding
 * step follows to tell the positions it adds (a new token's) from those computed once (an image's, an
 * encoder's).
 */
public enum Positions {
    /** Every input's alike: a layer of one input, an element-wise merge. */
    ALL,
    /** The first input's: attention's queries, a matrix product's rows, a recurrent layer's sequence (not its initial states). */
    FIRST,
    /** Each input's in turn along the dimension it joins them on, the last input's last; every input's alike along another. */
    CONCATENATED
}
