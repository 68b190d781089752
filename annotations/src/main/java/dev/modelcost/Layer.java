package dev.modelcost;

/**
 * The declared type of a layer field. Fields of a model or block are never instantiated; their
 * annotations are the specification.
 */
public final class Layer {
    private Layer() {}
}
