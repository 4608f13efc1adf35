package io.slabtrack.cluster.hazelcast;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway certificate authority for tests: PEM files as an operator would hand them to a node. */
final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A node's key and certificate files. */
  record NodeFiles(Path key, Path cert) {
  }

  private final String name;
  private final KeyPair keys;
  private final X509Certificate cert;
  private final Path dir;

  private TestCertificates(String name, KeyPair keys, X509Certificate cert, Path dir) {
    this.name = name;
    this.keys = keys;
    this.cert = cert;
    this.dir = dir;
  }

  /** A self-signed CA named {@code name}; its files go to {@code dir}. */
  static TestCertificates authority(String name, Path dir) throws Exception {
    KeyPair keys = rsa();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder builder = builder(subject, subject, keys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new TestCertificates(name, keys, sign(builder, keys), dir);
  }

  /** The CA certificate as a PEM file: what EVENTBUS_TLS_TRUST names. */
  Path trustFile() throws IOException {
    Path file = dir.resolve(name + "-ca.pem");
    write(file, cert);
    return file;
  }

  /** A key pair and a certificate for {@code node} signed by this CA, usable as TLS server and client. */
  NodeFiles issue(String node) throws Exception {
    KeyPair nodeKeys = rsa();
    X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name), new X500Name("CN=" + node), nodeKeys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
        .addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
    Path key = dir.resolve(node + "-key.pem");
    Path certFile = dir.resolve(node + "-cert.pem");
    write(key, new JcaPKCS8Generator(nodeKeys.getPrivate(), null));
    write(certFile, sign(builder, keys));
    return new NodeFiles(key, certFile);
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
        subjectKeys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048, RANDOM);
    return generator.generateKeyPair();
  }

  private static void write(Path file, Object pemObject) throws IOException {
    try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(pemObject);
    }
  }
}
