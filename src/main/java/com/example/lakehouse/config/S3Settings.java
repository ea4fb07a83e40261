package com.example.lakehouse.config;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * s3.*: the object store of s3a:// roots. Every field is optional: what is not set is left to s3a's own
 * defaults, the cluster's core-site.xml and the AWS credential chain.
 */
public record S3Settings(Optional<URI> endpoint, Optional<String> region, Optional<Boolean> pathStyleAccess,
                         Optional<Map.Entry<String, String>> keys) {
    static S3Settings from(ConfigValues values) {
        Optional<URI> endpoint = values.optional(ConfigKeys.S3_ENDPOINT).map(S3Settings::parseEndpoint);
        // an S3-compatible server takes any region; AWS itself needs the right one, found by the SDK
        Optional<String> region = values.optional(ConfigKeys.S3_REGION).or(() -> endpoint.map(ignored -> "us-east-1"));
        Optional<Boolean> pathStyle = values.optionalBoolean(ConfigKeys.S3_PATH_STYLE_ACCESS);
        Optional<String> accessKey = values.optional(ConfigKeys.S3_ACCESS_KEY);
        Optional<String> secretKey = values.optional(ConfigKeys.S3_SECRET_KEY);
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new ConfigException("config keys '" + ConfigKeys.S3_ACCESS_KEY + "' and '" + ConfigKeys.S3_SECRET_KEY
                    + "' go together: set both or neither");
        }
        return new S3Settings(endpoint, region, pathStyle, accessKey.map(key -> Map.entry(key, secretKey.orElseThrow())));
    }

    /** True where the bucket goes in the path (http://host/bucket/key), as most S3-compatible servers need. */
    public boolean pathStyle() {
        return pathStyleAccess.orElse(false);
    }

    /** These settings as Hadoop's s3a options (fs.s3a.*), which the Spark session gets as spark.hadoop.*; only what is set. */
    public Map<String, String> s3aOptions() {
        Map<String, String> options = new TreeMap<>();
        region.ifPresent(name -> options.put("fs.s3a.endpoint.region", name));
        endpoint.ifPresent(uri -> {
            options.put("fs.s3a.endpoint", uri.toString());
            options.put("fs.s3a.connection.ssl.enabled", String.valueOf(uri.getScheme().equals("https")));
        });
        pathStyleAccess.ifPresent(pathStyle -> options.put("fs.s3a.path.style.access", String.valueOf(pathStyle)));
        keys.ifPresent(pair -> {
            options.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
            options.put("fs.s3a.access.key", pair.getKey());
            options.put("fs.s3a.secret.key", pair.getValue());
        });
        return options;
    }

    @Override
    public String toString() { // a record would print the secret key
        return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("(AWS)") + ", region=" + region.orElse("(SDK's)")
                + ", pathStyleAccess=" + pathStyle() + ", accessKey=" + keys.map(Map.Entry::getKey).orElse("(none)")
                + ", secretKey=" + (keys.isPresent() ? "(set)" : "(none)") + "]";
    }

    private static URI parseEndpoint(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ConfigException("config key '" + ConfigKeys.S3_ENDPOINT + "' must be an http:// or https:// URL such as"
                    + " http://127.0.0.1:9000, got '" + endpoint + "'");
        }
        return uri;
    }
}
