package com.example.lakehouse.s3;

import java.net.URI;

import org.apache.hadoop.conf.Configuration;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.storage.InProcessLocalFileSystem;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Clients of the configured object store (endpoint, region, path style, keys): the S3 API's, and Hadoop's settings
 * for reading the roots outside a Spark session.
 */
public final class S3Clients {
    private S3Clients() {
    }

    public static S3Client create(LakehouseConfig config) {
        var builder = S3Client.builder().forcePathStyle(config.s3().pathStyle());
        config.s3().region().ifPresent(region -> builder.region(Region.of(region)));
        config.s3().endpoint().ifPresent(builder::endpointOverride);
        config.s3().keys().ifPresent(keys -> builder.credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(keys.getKey(), keys.getValue()))));
        return builder.build();
    }

    /** True if some object's key starts with the path of {@code folder}, an s3a://bucket/path URI. */
    public static boolean hasObjectsUnder(LakehouseConfig config, String folder) {
        URI uri = URI.create(folder);
        String prefix = uri.getPath().replaceFirst("^/", "").replaceFirst("/?$", "/");
        try (S3Client s3 = create(config)) {
            return s3.listObjectsV2(request -> request.bucket(uri.getHost()).prefix(prefix).maxKeys(1)).keyCount() > 0;
        }
    }

    /**
     * Hadoop's settings for the roots, as the Spark session has them: the local file system without its processes
     * ({@link InProcessLocalFileSystem}) and the s3a options of the configuration.
     */
    public static Configuration hadoopConfiguration(LakehouseConfig config) {
        Configuration hadoop = new Configuration();
        InProcessLocalFileSystem.hadoopSettings().forEach(hadoop::set);
        config.s3().s3aOptions().forEach(hadoop::set);
        return hadoop;
    }
}
