package io.tasque.broker.redis;

import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of a {@code rediss://}, {@code rediss-cluster://} or {@code rediss-sentinel://} connection: which
 * certificates to trust (the URI's {@code cacert} or
 * {@code truststore}, else {@link BrokerOptions#sslSocketFactory()}, else the JDK's trust store), with the
 * hostname checked unless {@link BrokerOptions#sslParameters()} says otherwise, and a handshake that ends
 * within the connect timeout: a server that does not speak TLS never answers the client's hello, and without
 * a bound the caller would wait for it well past its own timeout.
 */
final class TlsSockets extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final SSLParameters parameters;
    private final int handshakeMillis;

    private TlsSockets(SSLSocketFactory delegate, SSLParameters parameters, int handshakeMillis) {
        this.delegate = delegate;
        this.parameters = parameters;
        this.handshakeMillis = handshakeMillis;
    }

    /**
     * The socket factory for a {@code rediss://} URI.
     *
     * @throws IllegalArgumentException naming the file if the CA file or trust store cannot be read, or if both
     *                                  the URI and the options name what to trust
     */
    static TlsSockets of(BrokerUri uri, BrokerOptions options) {
        SSLSocketFactory trust = options.sslSocketFactory();
        if ((uri.query(RedisBrokerProvider.CACERT) != null || uri.query(RedisBrokerProvider.TRUSTSTORE) != null) && trust != null) {
            throw new IllegalArgumentException("broker URI '" + uri + "' names a " + (uri.query(RedisBrokerProvider.CACERT) != null ? "cacert" : "truststore")
                    + " and BrokerOptions has an sslSocketFactory; use one of them");
        }
        if (uri.query(RedisBrokerProvider.CACERT) != null) {
            trust = trusting(uri, "cacert", uri.query(RedisBrokerProvider.CACERT), caCertificates(uri, uri.query(RedisBrokerProvider.CACERT)));
        } else if (uri.query(RedisBrokerProvider.TRUSTSTORE) != null) {
            trust = trusting(uri, "truststore", uri.query(RedisBrokerProvider.TRUSTSTORE), trustStore(uri));
        } else if (trust == null) {
            trust = (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        return new TlsSockets(trust, parameters(options.sslParameters()), (int) options.connectTimeout().toMillis());
    }

    /** The given parameters, or by default ones that check the server's name against its certificate. */
    private static SSLParameters parameters(SSLParameters given) {
        if (given != null) {
            return given;
        }
        SSLParameters p = new SSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    /** What Jedis applies to the socket after it is made; the same as this factory applied before the handshake. */
    SSLParameters parameters() {
        return parameters;
    }

    private static KeyStore caCertificates(BrokerUri uri, String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("broker URI '" + uri + "': cacert '" + file
                        + "' holds no certificate; give a PEM file with -----BEGIN CERTIFICATE----- blocks");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("broker URI '" + uri + "': cacert '" + file + "' cannot be read as PEM"
                    + " certificates: " + e, e);
        }
    }

    private static KeyStore trustStore(BrokerUri uri) {
        String password = uri.query(RedisBrokerProvider.TRUSTSTORE_PASSWORD);
        try {
            return KeyStore.getInstance(new File(uri.query(RedisBrokerProvider.TRUSTSTORE)), password == null ? null : password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            // the message of a wrong password names no password; still, print only the exception's type and words
            throw new IllegalArgumentException("broker URI '" + uri + "': truststore '" + uri.query(RedisBrokerProvider.TRUSTSTORE)
                    + "' cannot be read as a PKCS#12 or JKS key store (check the file and truststorePassword): "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static SSLSocketFactory trusting(BrokerUri uri, String what, String file, KeyStore store) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("broker URI '" + uri + "': cannot trust the certificates of " + what
                    + " '" + file + "': " + e, e);
        }
    }

    /** Layers TLS over Jedis's connected socket and shakes hands at once, within the connect timeout. */
    @Override
    public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
        SSLSocket socket = (SSLSocket) delegate.createSocket(plain, host, port, autoClose);
        int before = plain.getSoTimeout();
        try {
            socket.setSSLParameters(parameters);
            plain.setSoTimeout(handshakeMillis);
            socket.startHandshake();
            plain.setSoTimeout(before);
            return socket;
        } catch (SocketTimeoutException e) {
            closeQuietly(plain);
            throw new SSLException("TLS handshake with " + host + ":" + port + " got no answer within " + handshakeMillis
                    + " ms; is that port serving TLS? (rediss://, rediss-cluster:// and rediss-sentinel:// need a TLS"
                    + " port; redis://, redis-cluster:// and redis-sentinel:// a plain one)", e);
        } catch (SSLHandshakeException e) {
            closeQuietly(plain);
            if (certificateProblem(e)) {
                throw (SSLHandshakeException) new SSLHandshakeException("TLS handshake with " + host + ":" + port
                        + " failed: the server's certificate is not trusted or does not name " + host + "; trust its CA"
                        + " with ?cacert=/path/ca.pem or ?truststore=/path/truststore.p12 on the rediss URI, or"
                        + " BrokerOptions.sslSocketFactory(...)").initCause(e);
            }
            throw (SSLHandshakeException) new SSLHandshakeException("TLS handshake with " + host + ":" + port + " failed")
                    .initCause(e);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new SSLException("TLS handshake with " + host + ":" + port + " failed", e);
        }
    }

    private static boolean certificateProblem(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the handshake failed already; the socket is of no further use
        }
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return delegate.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return delegate.createSocket(address, port, localAddress, localPort);
    }
}
