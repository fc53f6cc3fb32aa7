package io.cefiot.security;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS material of a secured cloud cluster, in one folder: a certificate authority
 * ({@code ca.pem}, its key is never written), the nodes' key and certificate
 * ({@code node.p12}) and the cloud operator's ({@code operator.p12}), each keystore with its
 * own random password beside it ({@code *.p12.password}). Files are readable by their owner only.
 *
 * <p>Nodes prove who they are to each other with {@code node.p12} (mutual TLS on the internal
 * and controller listeners); the operator's tools (granting and revoking sites) with
 * {@code operator.p12}. Both are super users of the cluster's authorizer; sites log in with
 * SCRAM on the external listener and get only their ACLs ({@link SiteAccess}).
 */
public record ClusterTls(Path directory) {

    /** The principal of the nodes' certificate: a super user (inter-node and controller traffic). */
    public static final String NODE_PRINCIPAL = "User:CN=cefiot-cloud-node";
    /** The principal of the operator's certificate: a super user (site grants and revocations). */
    public static final String OPERATOR_PRINCIPAL = "User:CN=cefiot-cloud-operator";

    private static final Duration VALIDITY = Duration.ofDays(825);
    private static final String SIGNATURE = "SHA256withECDSA";

    public Path caCertificate() {
        return directory.resolve("ca.pem");
    }

    public Path nodeKeystore() {
        return directory.resolve("node.p12");
    }

    public Path operatorKeystore() {
        return directory.resolve("operator.p12");
    }

    public String nodeKeystorePassword() {
        return readPassword(nodeKeystore());
    }

    public String operatorKeystorePassword() {
        return readPassword(operatorKeystore());
    }

    /**
     * Makes a new certificate authority and, signed by it, the nodes' certificate (valid for
     * every name in {@code hosts}: host names or IP addresses the nodes are reached at) and the
     * operator's. Replaces what the folder held.
     */
    public static ClusterTls create(Path directory, List<String> hosts) {
        try {
            Files.createDirectories(directory);
            KeyPair caKeys = newKeyPair();
            X500Name caName = new X500Name("CN=CEFIoT cloud cluster CA");
            Instant now = Instant.now();
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)), caName, caKeys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate caCertificate = sign(ca, caKeys);
            ClusterTls tls = new ClusterTls(directory);
            writePrivate(tls.caCertificate(), pem(caCertificate).getBytes(StandardCharsets.US_ASCII));
            issue(tls.nodeKeystore(), "cefiot-cloud-node", hosts, caName, caKeys, caCertificate);
            issue(tls.operatorKeystore(), "cefiot-cloud-operator", List.of(), caName, caKeys, caCertificate);
            return tls;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the cloud cluster's TLS material to " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot make the cloud cluster's certificates: " + e.getMessage(), e);
        }
    }

    /**
     * The client settings of the operator's tools, on the nodes' internal listener (mutual TLS):
     * what {@link SiteAccess} and a cluster's start-up checks connect with.
     */
    public Map<String, Object> operatorClientConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("security.protocol", "SSL");
        config.put("ssl.keystore.type", "PKCS12");
        config.put("ssl.keystore.location", operatorKeystore().toString());
        config.put("ssl.keystore.password", operatorKeystorePassword());
        config.put("ssl.truststore.type", "PEM");
        config.put("ssl.truststore.location", caCertificate().toString());
        return config;
    }

    private static void issue(Path keystore, String commonName, List<String> hosts, X500Name caName, KeyPair caKeys,
                              X509Certificate caCertificate) throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = newKeyPair();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), new X500Name("CN=" + commonName), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        if (!hosts.isEmpty()) {
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(hosts));
        }
        X509Certificate certificate = sign(builder, caKeys);
        String password = Passwords.random();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(commonName, keys.getPrivate(), password.toCharArray(), new Certificate[] {certificate, caCertificate});
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, password.toCharArray());
        }
        restrictToOwner(keystore);
        writePrivate(passwordFile(keystore), password.getBytes(StandardCharsets.UTF_8));
    }

    /** Host names as DNS names, and, for names that are IP addresses, as IP addresses too (hostname checks need either). */
    private static GeneralNames subjectAlternativeNames(List<String> hosts) {
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            if (host.matches("[0-9.]+") || host.contains(":")) {
                names.add(new GeneralName(GeneralName.iPAddress, host));
            } else {
                names.add(new GeneralName(GeneralName.dNSName, host));
                if (host.equals("localhost")) {
                    names.add(new GeneralName(GeneralName.iPAddress, loopback()));
                }
            }
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static String loopback() {
        try {
            return InetAddress.getByName("localhost").getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair caKeys)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(caKeys.getPrivate())));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    static Path passwordFile(Path keystore) {
        return keystore.resolveSibling(keystore.getFileName() + ".password");
    }

    private static String readPassword(Path keystore) {
        try {
            return Files.readString(passwordFile(keystore)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the password of " + keystore, e);
        }
    }

    /** Writes a file only its owner can read, without it ever being readable by others. */
    public static void writePrivate(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        restrictToOwner(file);
        Files.write(file, content);
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Not a POSIX file system: its own access rules apply.
        }
    }
}
