package io.tasque.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code key=value} arguments into task parameters: a value that is a JSON number becomes that number
 * ({@code 42} a long-sized integer, {@code 1.5} a double, {@code 1e999} an exact decimal), {@code true} and
 * {@code false} become booleans, anything else stays the string as typed ({@code 007}, {@code "x"}, {@code null}).
 * Splits at the first {@code =}, so a value may hold more.
 */
final class ParamValues {

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ParamValues() {
    }

    /**
     * @throws IllegalArgumentException naming the argument, when one has no {@code =}, an empty key, or a key given twice
     */
    static Map<String, Object> parse(List<String> args) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("parameter '" + arg + "' has no '='; write key=value");
            }
            if (eq == 0) {
                throw new IllegalArgumentException("parameter '" + arg + "' has an empty key; write key=value");
            }
            String key = arg.substring(0, eq);
            if (params.containsKey(key)) {
                throw new IllegalArgumentException("parameter '" + key + "' is given twice");
            }
            params.put(key, value(arg.substring(eq + 1)));
        }
        return params;
    }

    /** The typed value of one argument's right-hand side. */
    static Object value(String text) {
        if (text.equals("true")) {
            return Boolean.TRUE;
        }
        if (text.equals("false")) {
            return Boolean.FALSE;
        }
        if (!JSON_NUMBER.matcher(text).matches()) {
            return text;
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return text;
        }
        Number v = n.numberValue();
        if (v instanceof Double && ((Double) v).isInfinite()) {
            return new BigDecimal(text);
        }
        return v;
    }
}
