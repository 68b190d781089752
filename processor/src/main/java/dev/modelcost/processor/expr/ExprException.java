package dev.modelcost.processor.expr;

/** Why an expression could not be parsed or evaluated. */
public final class ExprException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure, each mapped to its own catalogue entry. */
    public enum Reason { SYNTAX, UNKNOWN_NAME, TYPE, DIVISION_BY_ZERO, OVERFLOW }

    private final Reason reason;
    private final String detail;

    /** A failure with its reason and a detail (the unknown name, the operation, ...). */
    public ExprException(Reason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
        this.detail = detail;
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
