package dev.modelcost.processor.write;

/** A minimal JSON writer for the reports: objects, arrays, strings and integers, in the order written. */
final class Json {
    private final StringBuilder out = new StringBuilder();
    private boolean needsComma;

    Json beginObject() {
        separate();
        out.append('{');
        needsComma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        needsComma = true;
        return this;
    }

    Json beginArray() {
        separate();
        out.append('[');
        needsComma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        needsComma = true;
        return this;
    }

    /** A member name inside an object; the value follows. */
    Json name(String name) {
        separate();
        string(name);
        out.append(':');
        needsComma = false;
        return this;
    }

    Json value(String value) {
        separate();
        string(value);
        needsComma = true;
        return this;
    }

    Json value(long value) {
        separate();
        out.append(value);
        needsComma = true;
        return this;
    }

    /** A finite double, exactly enough to read back as the same value ({@link Numbers#exact}). */
    Json value(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no " + value);
        }
        separate();
        out.append(Numbers.exact(value));
        needsComma = true;
        return this;
    }

    Json value(boolean value) {
        separate();
        out.append(value);
        needsComma = true;
        return this;
    }

    Json member(String name, String value) {
        return name(name).value(value);
    }

    Json member(String name, long value) {
        return name(name).value(value);
    }

    Json member(String name, double value) {
        return name(name).value(value);
    }

    private void separate() {
        if (needsComma) {
            out.append(',');
        }
    }

    private void string(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
