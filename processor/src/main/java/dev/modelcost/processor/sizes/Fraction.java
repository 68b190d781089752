package dev.modelcost.processor.sizes;

import java.math.BigInteger;

/**
 * An exact rational number in lowest terms, the denominator positive.
 *
 * @param numerator the numerator
 * @param denominator the denominator, positive
 */
record Fraction(BigInteger numerator, BigInteger denominator) {
    static final Fraction ZERO = new Fraction(BigInteger.ZERO, BigInteger.ONE);
    static final Fraction ONE = new Fraction(BigInteger.ONE, BigInteger.ONE);

    /** Reduces to lowest terms. */
    Fraction {
        if (denominator.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        if (denominator.signum() < 0) {
            numerator = numerator.negate();
            denominator = denominator.negate();
        }
        if (numerator.signum() == 0) {
            denominator = BigInteger.ONE;
        } else if (!denominator.equals(BigInteger.ONE)) {
            BigInteger gcd = numerator.gcd(denominator);
            if (!gcd.equals(BigInteger.ONE)) {
                numerator = numerator.divide(gcd);
                denominator = denominator.divide(gcd);
            }
        }
    }

    /** The least common multiple of a denominator so far and another, for writing several fractions over one. */
    static BigInteger lcm(BigInteger common, BigInteger denominator) {
        if (denominator.equals(BigInteger.ONE) || denominator.equals(common)) {
            return common;
        }
        if (common.equals(BigInteger.ONE)) {
            return denominator;
        }
        return common.divide(common.gcd(denominator)).multiply(denominator);
    }

    static Fraction of(long value) {
        return new Fraction(BigInteger.valueOf(value), BigInteger.ONE);
    }

    static Fraction of(long numerator, long denominator) {
        return new Fraction(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    Fraction plus(Fraction other) {
        if (other.isZero()) {
            return this;
        }
        if (isZero()) {
            return other;
        }
        if (denominator.equals(other.denominator)) {
            return new Fraction(numerator.add(other.numerator), denominator);
        }
        return new Fraction(numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)), denominator.multiply(other.denominator));
    }

    Fraction minus(Fraction other) {
        return plus(other.negate());
    }

    Fraction times(Fraction other) {
        if (isZero() || other.isZero()) {
            return ZERO;
        }
        return new Fraction(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
    }

    Fraction negate() {
        return new Fraction(numerator.negate(), denominator);
    }

    boolean isZero() {
        return numerator.signum() == 0;
    }

    int signum() {
        return numerator.signum();
    }

    /** Whether this is the integer {@code value}. */
    boolean is(long value) {
        return denominator.equals(BigInteger.ONE) && numerator.equals(BigInteger.valueOf(value));
    }
}
