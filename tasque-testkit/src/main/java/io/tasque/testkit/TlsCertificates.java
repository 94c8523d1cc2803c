package io.tasque.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority and a server certificate it signed for {@code 127.0.0.1} and
 * {@code localhost}, made at test time with the JDK's {@code keytool}, so no key is ever committed. The server
 * certificate is good for client authentication too: the nodes of a TLS cluster bus ({@code tls-cluster yes})
 * present it to each other, and Redis always checks the certificate of a node connecting on the bus. PEM files
 * for redis-server ({@link #serverCert()}, {@link #serverKey()} as PKCS#8, {@link #caCert()}) and a PKCS#12
 * trust store of the CA for clients.
 */
public final class TlsCertificates {

    private static final String STORE_PASSWORD = "changeit";
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;

    private TlsCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes a new CA named {@code caName} and a server certificate signed by it in {@code dir}. Two calls make
     * two unrelated CAs, so a client trusting one refuses a server of the other.
     *
     * @throws IllegalStateException if keytool is missing or fails; the message carries its output
     */
    public static TlsCertificates create(Path dir, String caName) {
        try {
            Files.createDirectories(dir);
            TlsCertificates t = new TlsCertificates(dir.toAbsolutePath());
            t.make(caName);
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test certificates to " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the test certificates keytool made in " + dir + ": " + e, e);
        }
    }

    private void make(String caName) throws IOException, GeneralSecurityException {
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        Path csr = dir.resolve("server.csr");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + caName, "-ext", "bc:c", "-keystore", ca.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-keystore", server.toString());
        keytool("-certreq", "-alias", "server", "-keystore", server.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(),
                "-outfile", serverCert().toString(), "-validity", "2",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth,clientAuth",
                "-ext", "ku:c=digitalSignature");
        Files.writeString(caCert(), pem("CERTIFICATE", load(ca).getCertificate("ca").getEncoded()), StandardCharsets.US_ASCII);
        Key key = load(server).getKey("server", STORE_PASSWORD.toCharArray());
        if (!(key instanceof PrivateKey)) {
            throw new IllegalStateException(server + " holds no private key under alias 'server'");
        }
        Files.writeString(serverKey(), pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate c : caCertificates()) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        try (OutputStream out = Files.newOutputStream(trustStore())) {
            trust.store(out, STORE_PASSWORD.toCharArray());
        }
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        return keys;
    }

    /** DER as PEM; a private key's encoding is PKCS#8, so "PRIVATE KEY" is its PEM label. */
    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private void keytool(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // a short-lived JVM: skip the optimising compiler
        argv.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD, "-noprompt"));
        Processes.Outcome outcome = Processes.run(KEYTOOL_TIMEOUT, argv);
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed with exit code " + outcome.exitCode()
                    + " in " + dir + ": " + outcome.output());
        }
    }

    /** The CA certificate, PEM: what a client passes as {@code ?cacert=}. */
    public Path caCert() {
        return dir.resolve("ca.pem");
    }

    /** The server certificate signed by the CA, PEM, for {@code --tls-cert-file}. */
    public Path serverCert() {
        return dir.resolve("server.pem");
    }

    /** The server's private key, PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), for {@code --tls-key-file}. */
    public Path serverKey() {
        return dir.resolve("server-key.pem");
    }

    /** A PKCS#12 trust store holding the CA certificate; its password is {@link #trustStorePassword()}. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** The password of the trust store file. */
    public String trustStorePassword() {
        return STORE_PASSWORD;
    }

    /** A socket factory that trusts this CA only (no hostname check: it is for the testkit's own probes). */
    public SSLSocketFactory socketFactory() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate c : caCertificates()) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + caCert() + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context trusting " + caCert() + ": " + e, e);
        }
    }

    private List<Certificate> caCertificates() throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(caCert())) {
            return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    @Override
    public String toString() {
        return "TlsCertificates[" + dir + "]";
    }
}
