package dev.modelcost.processor.write;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser for tests (objects as ordered maps, arrays as lists, integers as Long) and a
 * validator for the subset of JSON Schema the report schema uses: type, required, properties,
 * items, const, enum, minimum, minItems and local $ref.
 */
final class MiniJson {
    private final String text;
    private int pos;

    private MiniJson(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        MiniJson parser = new MiniJson(text);
        Object value = parser.value();
        parser.space();
        if (parser.pos != text.length()) {
            throw parser.error("trailing text");
        }
        return value;
    }

    private Object value() {
        space();
        char c = peek();
        if (c == '{') {
            return object();
        }
        if (c == '[') {
            return array();
        }
        if (c == '"') {
            return string();
        }
        if (text.startsWith("true", pos)) {
            pos += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", pos)) {
            pos += 5;
            return Boolean.FALSE;
        }
        if (text.startsWith("null", pos)) {
            pos += 4;
            return null;
        }
        return number();
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        expect('{');
        space();
        if (peek() == '}') {
            pos++;
            return map;
        }
        do {
            space();
            String key = string();
            space();
            expect(':');
            if (map.put(key, value()) != null) {
                throw error("duplicate key " + key);
            }
            space();
        } while (accept(','));
        expect('}');
        return map;
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        expect('[');
        space();
        if (peek() == ']') {
            pos++;
            return list;
        }
        do {
            list.add(value());
            space();
        } while (accept(','));
        expect(']');
        return list;
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (peek() != '"') {
            char c = text.charAt(pos++);
            if (c == '\\') {
                char e = text.charAt(pos++);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'u': out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16)); pos += 4; break;
                    default: out.append(e);
                }
            } else {
                out.append(c);
            }
        }
        pos++;
        return out.toString();
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a number");
        }
        boolean decimal = false;
        if (pos < text.length() && text.charAt(pos) == '.') {
            decimal = true;
            pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            decimal = true;
            pos++;
            if (text.charAt(pos) == '+' || text.charAt(pos) == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        return decimal ? (Object) Double.parseDouble(text.substring(start, pos)) : (Object) Long.parseLong(text.substring(start, pos));
    }

    private void space() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!accept(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at " + pos);
    }

    /** The problems of {@code value} against {@code schema} (empty when valid). */
    @SuppressWarnings("unchecked")
    static List<String> validate(Object value, Map<String, Object> schema, Map<String, Object> root, String at) {
        List<String> problems = new ArrayList<>();
        if (schema.containsKey("$ref")) {
            String ref = (String) schema.get("$ref");
            Map<String, Object> defs = (Map<String, Object>) root.get("$defs");
            return validate(value, (Map<String, Object>) defs.get(ref.substring("#/$defs/".length())), root, at);
        }
        String type = (String) schema.get("type");
        boolean typed = type == null
                || type.equals("object") && value instanceof Map
                || type.equals("array") && value instanceof List
                || type.equals("string") && value instanceof String
                || type.equals("integer") && value instanceof Long
                || type.equals("number") && (value instanceof Long || value instanceof Double)
                || type.equals("boolean") && value instanceof Boolean;
        if (!typed) {
            problems.add(at + ": expected " + type + " but found " + value);
            return problems;
        }
        if (schema.containsKey("const") && !schema.get("const").equals(value)) {
            problems.add(at + ": expected " + schema.get("const") + " but found " + value);
        }
        if (schema.containsKey("enum") && !((List<Object>) schema.get("enum")).contains(value)) {
            problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
        }
        if (schema.containsKey("minimum") && ((Number) value).doubleValue() < ((Number) schema.get("minimum")).doubleValue()) {
            problems.add(at + ": " + value + " is below " + schema.get("minimum"));
        }
        if (schema.containsKey("exclusiveMinimum") && ((Number) value).doubleValue() <= ((Number) schema.get("exclusiveMinimum")).doubleValue()) {
            problems.add(at + ": " + value + " is not above " + schema.get("exclusiveMinimum"));
        }
        if (value instanceof Map) {
            Map<String, Object> object = (Map<String, Object>) value;
            for (Object required : (List<Object>) schema.getOrDefault("required", List.of())) {
                if (!object.containsKey(required)) {
                    problems.add(at + ": missing " + required);
                }
            }
            Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
            for (Map.Entry<String, Object> member : object.entrySet()) {
                Map<String, Object> sub = (Map<String, Object>) properties.getOrDefault(member.getKey(), schema.get("additionalProperties"));
                if (sub == null) {
                    problems.add(at + ": unexpected member " + member.getKey());
                } else {
                    problems.addAll(validate(member.getValue(), sub, root, at + "." + member.getKey()));
                }
            }
        }
        if (value instanceof List) {
            List<Object> list = (List<Object>) value;
            if (schema.containsKey("minItems") && list.size() < (Long) schema.get("minItems")) {
                problems.add(at + ": fewer than " + schema.get("minItems") + " items");
            }
            Map<String, Object> items = (Map<String, Object>) schema.get("items");
            for (int i = 0; items != null && i < list.size(); i++) {
                problems.addAll(validate(list.get(i), items, root, at + "[" + i + "]"));
            }
        }
        return problems;
    }
}
