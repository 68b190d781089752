package dev.modelcost.processor.expr;

/** Why an expression could not be parsed or evaluated. */
public final class ExprException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * The kinds of failure, each mapped to its own catalogue entry; an expression that parses but nests or chains beyond the
     * parser's limits is {@code TOO_DEEP}, a syntax error too (MC201) with another fix.
     */
    public enum Reason { SYNTAX, TOO_DEEP, UNKNOWN_NAME, TYPE, DIVISION_BY_ZERO, OVERFLOW }

    private final Reason reason;
    private final String detail;
    private final int position;

    /** A failure with its reason and a detail (the unknown name, the operation, ...). */
    public ExprException(Reason reason, String detail) {
        this(reason, detail, -1);
    }

    /** A failure of parsing at {@code position}, from 0, in the text. */
    public ExprException(Reason reason, String detail, int position) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
        this.detail = detail;
        this.position = position;
    }

    /** Where in the text parsing failed, from 0; -1 where it did not fail at a position. */
    public int position() {
        return position;
    }

    /** The kind of failure. */
    public Reason reason() {
        return reason;
    }

    /** What failed: the unknown name, the operation, the parse error. */
    public String detail() {
        return detail;
    }
}
