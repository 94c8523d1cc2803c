package io.tasque.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends one command to a Redis server over a fresh socket (RESP2) and renders the reply as a string:
 * simple and bulk strings as they are, integers in decimal, a null reply as {@code null}, arrays as their
 * rendered elements joined by {@code '\n'} (a null element renders as an empty line).
 */
final class RespClient {

    private RespClient() {
    }

    /**
     * Sends the command and returns the rendered reply.
     *
     * @throws IllegalStateException if the server answers with an error reply
     * @throws UncheckedIOException if connecting, writing or reading fails or times out
     */
    static String call(String host, int port, Duration timeout, String... args) {
        return call(host, port, timeout, null, args);
    }

    /** Like {@link #call(String, int, Duration, String...)}, over TLS when {@code tls} is not null. */
    static String call(String host, int port, Duration timeout, SSLSocketFactory tls, String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a Redis command needs at least a name, got no arguments");
        }
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket plain = new Socket(); Socket socket = tls == null ? plain : layer(tls, plain, host, port, timeoutMillis)) {
            if (tls == null) {
                plain.connect(new InetSocketAddress(host, port), timeoutMillis);
                plain.setSoTimeout(timeoutMillis);
            }
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            Reply reply = read(new BufferedInputStream(socket.getInputStream()));
            if (reply.error()) {
                throw new IllegalStateException("redis at " + host + ":" + port + " answered " + args[0]
                        + " with an error: " + reply.text());
            }
            return reply.text();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + args[0] + " to redis at " + host + ":" + port + ": "
                    + e, e);
        }
    }

    private static Socket layer(SSLSocketFactory tls, Socket plain, String host, int port, int timeoutMillis) throws IOException {
        plain.connect(new InetSocketAddress(host, port), timeoutMillis);
        plain.setSoTimeout(timeoutMillis);
        SSLSocket socket = (SSLSocket) tls.createSocket(plain, host, port, true);
        socket.startHandshake();
        return socket;
    }

    /** True if the server at host:port answers PING with PONG within the timeout; false on any failure. */
    static boolean ping(String host, int port, Duration timeout) {
        return ping(host, port, timeout, null);
    }

    /** Like {@link #ping(String, int, Duration)}, over TLS when {@code tls} is not null. */
    static boolean ping(String host, int port, Duration timeout, SSLSocketFactory tls) {
        try {
            return "PONG".equals(call(host, port, timeout, tls, "PING"));
        } catch (UncheckedIOException | IllegalStateException e) {
            return false;
        }
    }

    private static byte[] encode(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        writeAscii(buffer, "*" + args.length + "\r\n");
        for (String arg : args) {
            if (arg == null) {
                throw new IllegalArgumentException("Redis command arguments must not be null; pass \"\" for an"
                        + " empty value");
            }
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            writeAscii(buffer, "$" + bytes.length + "\r\n");
            buffer.writeBytes(bytes);
            writeAscii(buffer, "\r\n");
        }
        return buffer.toByteArray();
    }

    private static void writeAscii(ByteArrayOutputStream buffer, String text) {
        buffer.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** A decoded reply: its rendered text (null for a null reply) and whether it was an error. */
    private record Reply(String text, boolean error) {
    }

    private static Reply read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed before a reply arrived");
        }
        String line = readLine(in);
        switch (type) {
            case '+':
            case ':':
                return new Reply(line, false);
            case '-':
                return new Reply(line, true);
            case '$':
                return new Reply(readBulk(in, Integer.parseInt(line)), false);
            case '*':
                return new Reply(readArray(in, Integer.parseInt(line)), false);
            default:
                throw new IOException("unexpected RESP type byte '" + (char) type + "' followed by '" + line
                        + "'; only RESP2 replies are understood");
        }
    }

    private static String readBulk(InputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("connection closed inside a bulk string of " + length + " bytes");
        }
        readLine(in);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String readArray(InputStream in, int count) throws IOException {
        if (count < 0) {
            return null;
        }
        List<String> elements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Reply element = read(in);
            elements.add(element.text() == null ? "" : element.text());
        }
        return String.join("\n", elements);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a reply line");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }
}
