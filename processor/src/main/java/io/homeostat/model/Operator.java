package io.homeostat.model;

import java.util.Locale;

/** Comparison a target demands of its metric: {@code actual <op> target} must hold. */
public enum Operator {
    LT("lt", "<"),
    LTE("lte", "<="),
    GT("gt", ">"),
    GTE("gte", ">="),
    EQ("eq", "==");

    private final String code;
    private final String symbol;

    Operator(String code, String symbol) {
        this.code = code;
        this.symbol = symbol;
    }

    /** The contract's spelling: {@code lt}, {@code lte}, {@code gt}, {@code gte}, {@code eq}. */
    public String code() {
        return code;
    }

    public String symbol() {
        return symbol;
    }

    // Implements: REQ-RUNTIME-002 (deviation detection: actual compared with the homeostasis target)
    /** Whether {@code actual <op> bound} holds; {@code eq} allows {@code tolerance} either side. */
    public boolean holds(double actual, double bound, double tolerance) {
        return switch (this) {
            case LT -> actual < bound;
            case LTE -> actual <= bound;
            case GT -> actual > bound;
            case GTE -> actual >= bound;
            case EQ -> Math.abs(actual - bound) <= tolerance;
        };
    }

    /** True for operators that demand the value stay low (lt, lte): the bad side is "above". */
    public boolean upperBound() {
        return this == LT || this == LTE;
    }

    public static Operator fromCode(String code) {
        if (code != null) {
            String normalized = code.trim().toLowerCase(Locale.ROOT);
            for (Operator op : values()) {
                if (op.code.equals(normalized)) return op;
            }
        }
        throw new IllegalArgumentException("unknown operator '" + code + "'; use one of lt, lte, gt, gte, eq");
    }
}
