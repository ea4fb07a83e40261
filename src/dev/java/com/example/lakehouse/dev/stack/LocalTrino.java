package com.example.lakehouse.dev.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.config.ProjectHome;
import com.example.lakehouse.process.ProcessSupervisor;
import com.example.lakehouse.table.Tables;
import com.example.lakehouse.trino.TrinoClient;
import com.example.lakehouse.trino.TrinoTables;

/**
 * A real Trino server (io.trino:trino-server from Maven Central) on 127.0.0.1 with one catalog,
 * {@code lakehouse}: the delta_lake connector over the table root (file: or s3a://), with a file
 * metastore under the run directory. Trino needs a newer Java than the project: the JDK of
 * {@code trino.java-home}. The server is downloaded and unpacked into tools/trino/target the first
 * time, keeping only the Delta plugin and the password authenticators.
 *
 * <p>With {@code trino.https=true} it serves trino.port over HTTPS only, with a self-signed certificate for
 * 127.0.0.1 and localhost made at each start ({@link #certificate()} is the file clients trust), and with
 * {@code trino.password} it asks for that password of {@code trino.user}, as a company's shared Trino does.
 */
public final class LocalTrino extends LocalServer {
    public static final String NAME = "trino";
    /** Keep in step with trino-jdbc in pom.xml. */
    public static final String VERSION = "476";
    private static final Path INSTALL_DIR = ProjectHome.resolve("tools/trino/target");
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration INSTALL_STEP_TIMEOUT = Duration.ofMinutes(15);
    private static final Set<String> PLUGINS = Set.of("delta-lake", "password-authenticators");
    /** Trino's file authenticator takes PBKDF2 with HMAC-SHA1 of at least 1000 iterations; it caches a checked password. */
    private static final int PASSWORD_HASH_ITERATIONS = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    public LocalTrino(Path runDir) {
        super(runDir, NAME);
    }

    /**
     * Installs Trino if needed, starts it, waits until it answers queries, and registers every table (those of the
     * entries under sql/) that exists.
     */
    @Override
    public String start(LakehouseConfig config) {
        Path javaHome = config.trino().javaHome();
        if (!Files.isExecutable(javaHome.resolve("bin").resolve("java"))) {
            throw new ConfigException("trino.java-home '" + javaHome + "' has no bin/java; Trino " + VERSION
                    + " needs Java 24 or newer (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)");
        }
        Path server = install();
        writeConfig(config);
        ProcessHandle process = supervisor.start(NAME, List.of(javaHome.resolve("bin").resolve("java").toString(),
                "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Djdk.attach.allowAttachSelf=true",
                "--enable-native-access=ALL-UNNAMED",
                "-Dconfig=" + home.resolve("etc").resolve("config.properties"),
                "-Dcatalog.config-dir=" + home.resolve("etc").resolve("catalog"),
                "-Dplugin.dir=" + server.resolve("plugin"),
                "-cp", server.resolve("lib") + "/*",
                "io.trino.server.TrinoServer"));
        LakehouseConfig client = clientConfig(config);
        // the server refuses connections at first, then answers "server is starting" for a while
        awaitReady(process, STARTUP_TIMEOUT, Duration.ofSeconds(1), () -> {
            try (Connection connection = TrinoClient.connect(client); Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT 1").close();
                return true;
            } catch (SQLException notYet) {
                return false;
            }
        });
        int registered = TrinoTables.registerAll(client, Tables.load());
        String security = !config.trino().https() ? ""
                : " (HTTPS" + (config.trino().password().isPresent() ? " with a password" : "")
                + "; clients trust its certificate with " + ConfigKeys.TRINO_TRUSTSTORE + "=" + certificate() + ")";
        return config.trino().host() + ":" + config.trino().port() + security + ", " + registered + " tables newly registered";
    }

    /** The certificate of a local Trino with trino.https (PEM), made at each start: what its clients trust. */
    public Path certificate() {
        return home.resolve("etc").resolve("certificate.pem");
    }

    /** {@code config} as this server's clients need it: over HTTPS, trusting {@link #certificate()}. */
    public LakehouseConfig clientConfig(LakehouseConfig config) {
        if (!config.trino().https()) {
            return config;
        }
        return config.toBuilder().set(ConfigKeys.TRINO_TRUSTSTORE, certificate().toString())
                .set(ConfigKeys.TRINO_TRUSTSTORE_PASSWORD, "").build();
    }

    private void writeConfig(LakehouseConfig config) {
        if (!isLocalHost(config.trino().host())) {
            throw new ConfigException("the local Trino runs on 127.0.0.1, but trino.host is '" + config.trino().host() + "'");
        }
        String storage = storageProperties(config);
        try {
            Path etc = home.resolve("etc");
            Files.createDirectories(etc.resolve("catalog"));
            // the catalog may hold S3 keys; with HTTPS, config.properties holds the keystore's password and the shared secret
            Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwx------"));
            List<String> listeners = config.trino().https() ? httpsListeners(config)
                    : List.of("http-server.http.port=" + config.trino().port(), "discovery.uri=http://127.0.0.1:" + config.trino().port());
            Files.writeString(etc.resolve("config.properties"), String.join("\n", listeners) + "\n" + String.join("\n",
                    "coordinator=true",
                    "node-scheduler.include-coordinator=true",
                    "node.environment=lakehouse",
                    "node.id=local",
                    // the coordinator schedules work on the address the node announces; left to itself Trino
                    // announces the machine's first network address, which a sandbox may not route
                    "node.internal-address=127.0.0.1",
                    "node.bind-ip=127.0.0.1",
                    // with static catalogs the coordinator learns which catalogs a node serves from the node's
                    // announcement, seconds after the server answers; until then every table query fails with
                    // "No nodes available to run query". Dynamic management assumes each node has every
                    // catalog, which is true of one node.
                    "catalog.management=dynamic",
                    "query.max-memory=512MB",
                    "query.max-memory-per-node=512MB",
                    ""));
            Files.writeString(home.resolve("etc").resolve("catalog").resolve(config.trino().catalog() + ".properties"),
                    String.join("\n",
                            "connector.name=delta_lake",
                            "hive.metastore=file",
                            "hive.metastore.catalog.dir=" + home.resolve("metastore").toUri(),
                            "delta.register-table-procedure.enabled=true",
                            storage));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Trino's configuration under " + home, e);
        }
    }

    /**
     * trino.port over HTTPS only, with a new self-signed certificate, and with trino.password the file
     * authenticator. The plain HTTP listener, which the node's own calls to itself use (with the shared secret),
     * moves to a free port and refuses every client: Trino would otherwise let anyone in there by user name alone.
     */
    private List<String> httpsListeners(LakehouseConfig config) throws IOException {
        Path keystore = home.resolve("etc").resolve("keystore.p12");
        String keystorePassword = randomSecret();
        createCertificate(config.trino().javaHome(), keystore, keystorePassword);
        int internalPort = freePort();
        List<String> lines = new ArrayList<>(List.of(
                "http-server.http.port=" + internalPort,
                "discovery.uri=http://127.0.0.1:" + internalPort,
                "http-server.authentication.allow-insecure-over-http=false",
                "http-server.https.enabled=true",
                "http-server.https.port=" + config.trino().port(),
                "http-server.https.keystore.path=" + keystore,
                "http-server.https.keystore.key=" + keystorePassword,
                "internal-communication.shared-secret=" + randomSecret()));
        if (config.trino().password().isPresent()) {
            Path authenticator = home.resolve("etc").resolve("password-authenticator.properties");
            Path passwords = home.resolve("etc").resolve("password.db");
            Files.writeString(passwords, config.trino().user() + ":" + passwordHash(config.trino().password().get()) + "\n");
            Files.writeString(authenticator, "password-authenticator.name=file\nfile.password-file=" + passwords + "\n");
            lines.add("http-server.authentication.type=PASSWORD");
            lines.add("password-authenticator.config-files=" + authenticator);
        }
        return lines;
    }

    /**
     * A key pair and a self-signed certificate for 127.0.0.1 and localhost in a PKCS12 keystore for the server,
     * and the certificate alone as PEM for the clients, made by the JDK's keytool (the keystore's password
     * reaches it in a variable, not on its command line).
     */
    private void createCertificate(Path javaHome, Path keystore, String keystorePassword) throws IOException {
        Files.deleteIfExists(keystore);
        Files.deleteIfExists(certificate());
        String keytool = javaHome.resolve("bin").resolve("keytool").toString();
        String passwordVariable = "LAKEHOUSE_TRINO_KEYSTORE_PASSWORD";
        List<String> store = List.of("-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass:env", passwordVariable);
        Map<String, String> environment = Map.of(passwordVariable, keystorePassword);
        Path log = home.resolve("keytool.log");
        List<String> generate = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", NAME, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "3650", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost"));
        generate.addAll(store);
        ProcessSupervisor.runToCompletion(generate, environment, log, INSTALL_STEP_TIMEOUT);
        List<String> export = new ArrayList<>(List.of(keytool, "-exportcert", "-rfc", "-alias", NAME, "-file", certificate().toString()));
        export.addAll(store);
        ProcessSupervisor.runToCompletion(export, environment, log, INSTALL_STEP_TIMEOUT);
    }

    /** A password-file entry's hash as Trino's file authenticator reads it: iterations:salt:hash, in lower-case hex. */
    static String passwordHash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        try {
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, PASSWORD_HASH_ITERATIONS, 256)).getEncoded();
            return PASSWORD_HASH_ITERATIONS + ":" + HexFormat.of().formatHex(salt) + ":" + HexFormat.of().formatHex(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot compute PBKDF2WithHmacSHA1", e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** How the catalog reads the table root: Hadoop's local file system, or Trino's own S3 client. */
    private static String storageProperties(LakehouseConfig config) {
        String scheme = URI.create(config.storage().tableRoot()).getScheme();
        // the Hadoop file system reads file: URIs, the scheme Spark writes local table locations with, and
        // the metastore folder
        String localFiles = "fs.hadoop.enabled=true\n";
        if ("file".equals(scheme)) {
            return localFiles;
        }
        if (!"s3a".equals(scheme)) {
            throw new ConfigException("the local Trino reads file: and s3a:// table roots; lakehouse.table-root is " + config.storage().tableRoot());
        }
        // the native S3 file system reads the s3a:// locations Spark writes, with the same s3.* settings
        StringBuilder properties = new StringBuilder(localFiles).append("fs.native-s3.enabled=true\n")
                .append("s3.path-style-access=").append(config.s3().pathStyle()).append('\n');
        config.s3().region().ifPresent(region -> properties.append("s3.region=").append(region).append('\n'));
        config.s3().endpoint().ifPresent(endpoint -> properties.append("s3.endpoint=").append(endpoint).append('\n'));
        config.s3().keys().ifPresent(keys -> properties.append("s3.aws-access-key=").append(keys.getKey()).append('\n')
                .append("s3.aws-secret-key=").append(keys.getValue()).append('\n'));
        return properties.toString();
    }

    /** The unpacked server; downloaded from Maven Central the first time. */
    static Path install() {
        Path server = INSTALL_DIR.resolve("trino-server-" + VERSION).toAbsolutePath();
        if (PLUGINS.stream().allMatch(plugin -> Files.isDirectory(server.resolve("plugin").resolve(plugin)))) {
            return server;
        }
        try {
            Files.createDirectories(INSTALL_DIR);
            Path log = INSTALL_DIR.resolve("install.log");
            ProcessSupervisor.downloadArtifact("io.trino:trino-server:" + VERSION + ":tar.gz", INSTALL_DIR, log, INSTALL_STEP_TIMEOUT);
            Path archive = INSTALL_DIR.resolve("trino-server-" + VERSION + ".tar.gz");
            // the archive hard-links jars shared between plugins, so it is unpacked whole, then trimmed
            ProcessSupervisor.runToCompletion(List.of("tar", "xzf", archive.toString(), "-C", INSTALL_DIR.toString()),
                    log, INSTALL_STEP_TIMEOUT);
            Files.delete(archive);
            try (Stream<Path> plugins = Files.list(server.resolve("plugin"))) {
                for (Path plugin : plugins.filter(path -> !PLUGINS.contains(path.getFileName().toString())).toList()) {
                    ProcessSupervisor.runToCompletion(List.of("rm", "-rf", plugin.toString()), log, INSTALL_STEP_TIMEOUT);
                }
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install Trino into " + INSTALL_DIR.toAbsolutePath(), e);
        }
    }
}
