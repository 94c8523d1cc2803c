package io.tasque;

import io.tasque.codec.ParamJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Converts a decoded JSON parameter value to the Java type a handler asks for, widening numbers only, and
 * undoing {@link ParamJson}'s canonical forms: a Double back to the Float it came from, base64 back to byte[].
 */
final class ParamTypes {

    private ParamTypes() {
    }

    /** Returns {@code v} as {@code type}, or null when it does not fit. */
    static Object convert(Object v, Class<?> type) {
        if (type.isInstance(v)) {
            return v;
        }
        if (v instanceof String s && type == byte[].class) {
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
        if (v instanceof Number n && isWhole(n)) {
            long l = n.longValue();
            boolean exact = !(n instanceof BigInteger b) || b.bitLength() < 64;
            if ((type == Short.class || type == short.class) && exact && l >= Short.MIN_VALUE && l <= Short.MAX_VALUE) {
                return (short) l;
            }
            if ((type == Byte.class || type == byte.class) && exact && l >= Byte.MIN_VALUE && l <= Byte.MAX_VALUE) {
                return (byte) l;
            }
            if ((type == Long.class || type == long.class) && exact) {
                return l;
            }
            if ((type == Integer.class || type == int.class) && exact && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                return (int) l;
            }
            if (type == Double.class || type == double.class) {
                return n.doubleValue();
            }
            if (type == BigInteger.class) {
                return n instanceof BigInteger b ? b : BigInteger.valueOf(l);
            }
            if (type == BigDecimal.class) {
                return new BigDecimal(n.toString());
            }
        }
        if (v instanceof Number n && (type == Double.class || type == double.class)) {
            return n.doubleValue();
        }
        if (v instanceof Double d && (type == Float.class || type == float.class)) {
            return ParamJson.toFloat(d);
        }
        if (v instanceof Number n && (type == Float.class || type == float.class)) {
            return n.floatValue();
        }
        if (v instanceof Number n && type == BigDecimal.class) {
            return new BigDecimal(n.toString());
        }
        if (v instanceof Boolean && type == boolean.class) {
            return v;
        }
        return null;
    }

    private static boolean isWhole(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte || n instanceof BigInteger;
    }

    /** "Integer (42)", "String ("abc")", "Map", … for error messages. */
    static String describe(Object v) {
        String type = v instanceof Map ? "Map" : v instanceof List ? "List" : v.getClass().getSimpleName();
        if (v instanceof Map || v instanceof List) {
            return type;
        }
        String s = String.valueOf(v);
        if (s.length() > 40) {
            s = s.substring(0, 40) + "…";
        }
        return type + " (" + (v instanceof String ? "\"" + s + "\"" : s) + ")";
    }
}
