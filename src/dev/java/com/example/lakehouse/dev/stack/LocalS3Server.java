package com.example.lakehouse.dev.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.config.ProjectHome;
import com.example.lakehouse.process.ProcessSupervisor;
import com.example.lakehouse.s3.S3Clients;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3-compatible server on 127.0.0.1 for s3a:// table roots on one machine: S3Proxy
 * (org.gaul:s3proxy from Maven Central), which serves the S3 REST API, with AWS v2 and v4 signatures,
 * over a folder under the run directory. It listens on {@code s3.endpoint} and accepts the
 * {@code s3.access-key}/{@code s3.secret-key} pair; the buckets of the table and checkpoint roots are
 * created at start.
 */
public final class LocalS3Server extends LocalServer {
    public static final String NAME = "s3";
    /** S3Proxy release; 4.x runs on Java 17. */
    public static final String VERSION = "4.1.0";
    private static final Path INSTALL_DIR = ProjectHome.resolve("tools/s3proxy/target");
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);


    public LocalS3Server(Path runDir) {
        super(runDir, NAME);
    }

    /** Installs S3Proxy if needed, starts it, waits until it answers S3 calls, and creates the buckets. */
    @Override
    public String start(LakehouseConfig config) {
        URI endpoint = localEndpoint(config);
        Map.Entry<String, String> keys = config.s3().keys().orElseThrow(() -> new ConfigException(
                "the local S3 server needs s3.access-key and s3.secret-key (any pair; clients must use the same)"));
        Path jar = install();
        Path properties = home.resolve("s3proxy.properties");
        try {
            Files.createDirectories(home.resolve("data"));
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=" + endpoint,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + keys.getKey(),
                    "s3proxy.credential=" + keys.getValue(),
                    // newer AWS SDKs (Trino's) send headers S3Proxy does not implement, such as
                    // x-amz-optional-object-attributes on listings; S3 itself ignores what it need not answer
                    "s3proxy.ignore-unknown-headers=true",
                    // buckets are folders and objects files under data/, kept across restarts
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + home.resolve("data"),
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write S3Proxy's configuration under " + home, e);
        }
        ProcessHandle process = supervisor.start(NAME, List.of(ProcessSupervisor.javaExecutable(), "-Xmx512m",
                "-jar", jar.toString(), "--properties", properties.toString()));
        try (S3Client s3 = S3Clients.create(config)) {
            awaitReady(process, STARTUP_TIMEOUT, Duration.ofMillis(500), () -> {
                try {
                    s3.listBuckets();
                    return true;
                } catch (SdkException notYet) {
                    return false;
                }
            });
            for (String bucket : buckets(config)) {
                try {
                    s3.createBucket(request -> request.bucket(bucket));
                } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                    // created by an earlier start; its objects are still there
                }
            }
        }
        return endpoint + ", buckets " + buckets(config);
    }

    /** The buckets of the s3a:// table and checkpoint roots. */
    public static Set<String> buckets(LakehouseConfig config) {
        Set<String> buckets = new LinkedHashSet<>();
        for (String root : List.of(config.storage().tableRoot(), config.storage().checkpointRoot())) {
            URI uri = URI.create(root);
            if ("s3a".equals(uri.getScheme())) {
                buckets.add(uri.getHost());
            }
        }
        return buckets;
    }

    private static URI localEndpoint(LakehouseConfig config) {
        URI endpoint = config.s3().endpoint().orElseThrow(() -> new ConfigException(
                "s3.endpoint is empty; the local S3 server needs one such as http://127.0.0.1:9000"));
        if (!"http".equals(endpoint.getScheme()) || !isLocalHost(endpoint.getHost()) || endpoint.getPort() < 0) {
            throw new ConfigException("the local S3 server listens on http://127.0.0.1:<port>, but s3.endpoint is '" + endpoint + "'");
        }
        return endpoint;
    }

    /** The runnable S3Proxy jar; downloaded from Maven Central the first time. */
    private static Path install() {
        Path jar = INSTALL_DIR.resolve("s3proxy-" + VERSION + "-jar-with-dependencies.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            ProcessSupervisor.downloadArtifact("org.gaul:s3proxy:" + VERSION + ":jar:jar-with-dependencies",
                    INSTALL_DIR, INSTALL_DIR.resolve("install.log"), INSTALL_TIMEOUT);
        }
        return jar;
    }
}
