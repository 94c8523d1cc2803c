package io.tasque.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script loaded from a resource beside this class, behind the shared {@code prelude.lua}: its SHA is computed once, calls go by
 * {@code EVALSHA}, and a {@code NOSCRIPT} reply (a restarted or flushed server) loads it and calls again.
 */
final class LuaScript {

    final String name;
    final byte[] source;
    final byte[] sha;

    private LuaScript(String name, byte[] source) {
        this.name = name;
        this.source = source;
        this.sha = Keys.bytes(sha1Hex(source));
    }

    /** Loads {@code <name>.lua} with {@code prelude.lua} (the helpers all scripts share) in front of it. */
    static LuaScript load(String name) {
        byte[] prelude = resource("prelude.lua");
        byte[] body = resource(name + ".lua");
        byte[] source = new byte[prelude.length + 1 + body.length];
        System.arraycopy(prelude, 0, source, 0, prelude.length);
        source[prelude.length] = '\n';
        System.arraycopy(body, 0, source, prelude.length + 1, body.length);
        return new LuaScript(name, source);
    }

    private static byte[] resource(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Lua script resource " + resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lua script " + resource, e);
        }
    }

    Object eval(Jedis jedis, List<byte[]> keys, List<byte[]> args) {
        try {
            return jedis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            jedis.scriptLoad(source);
            return jedis.evalsha(sha, keys, args);
        }
    }

    private static String sha1Hex(byte[] source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    @Override
    public String toString() {
        return name + ".lua (" + new String(sha, StandardCharsets.US_ASCII) + ")";
    }
}
