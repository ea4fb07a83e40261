package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.RowsAsText;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.cli.CliRun;
import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.trino.TrinoClient;

/**
 * A local Trino set up as a company's shared one: HTTPS only, with a self-signed certificate, and a password.
 * The client gets in with the password and the certificate, and nowhere else: not with a wrong password, not
 * over plain HTTP, not without trusting the certificate, not through the server's internal HTTP port; and the
 * password shows in no output, log or file of the run.
 */
class TrinoSecuredIT extends SparkTestBase {
    private static final String PASSWORD = "s3cret-Trino-pw";
    private static LocalStack servers;
    private static LakehouseConfig trinoConfig;
    private static Path cliConfigFile;

    @BeforeAll
    static void startSecuredTrino() throws IOException {
        LakehouseConfig secured = config.toBuilder().set(ConfigKeys.TRINO_HTTPS, "true").set(ConfigKeys.TRINO_PASSWORD, PASSWORD).build();
        servers = new LocalStack(workDir.resolve("run"), secured).startTrino();
        trinoConfig = servers.config();
        // the CLI reads the password from a file, as a user keeps it out of the configuration
        Path passwordFile = Files.writeString(workDir.resolve("trino-password"), PASSWORD + "\n");
        cliConfigFile = workDir.resolve("trino-secured.properties");
        trinoConfig.toBuilder().set(ConfigKeys.TRINO_PASSWORD, "").set(ConfigKeys.TRINO_PASSWORD_FILE, passwordFile.toString())
                .build().writeTo(cliConfigFile);
    }

    @AfterAll
    static void stopTrino() {
        servers.close();
    }

    @Test
    void theRightPasswordOverHttpsReadsTheRegisteredTables() throws SQLException {
        assertThat(trinoConfig.trino().trustStore()).as("the stack trusts its Trino's certificate").isPresent();
        assertThat(rows(trinoConfig, "SELECT current_user")).containsExactly(trinoConfig.trino().user());
        assertThat(rows(trinoConfig, "SHOW TABLES")).containsAll(tables.all().stream().map(table -> table.name()).toList());
        assertThat(rows(trinoConfig, "SELECT count(*) FROM ads_dau_daily")).containsExactly("0");

        CliRun query = cli(cliConfigFile, "query", "SELECT current_user AS who");
        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out()).contains("who").contains(trinoConfig.trino().user()).contains("(1 row)");
    }

    @Test
    void aWrongPasswordIsRefusedInOneLineThatSaysSo() throws IOException {
        LakehouseConfig wrong = trinoConfig.toBuilder().set(ConfigKeys.TRINO_PASSWORD, "not-the-password").build();
        assertThatThrownBy(() -> rows(wrong, "SELECT 1")).isInstanceOf(SQLException.class);

        CliRun query = cli(writeConfig(wrong, "wrong-password.properties"), "query", "SELECT 1");
        assertThat(query.exitCode()).isEqualTo(1);
        assertThat(query.err().strip()).startsWith("lakehouse: Trino refused the password of user 'lakehouse'")
                .doesNotContain("not-the-password").doesNotContain("\tat ").hasLineCount(1);
    }

    @Test
    void plainHttpOrAnUntrustedCertificateGetsNoAnswer() throws IOException {
        LakehouseConfig plainHttp = trinoConfig.toBuilder().set(ConfigKeys.TRINO_PASSWORD, "").set(ConfigKeys.TRINO_TRUSTSTORE, "")
                .set(ConfigKeys.TRINO_HTTPS, "false").build();
        assertThatThrownBy(() -> rows(plainHttp, "SELECT 1")).isInstanceOf(SQLException.class);
        CliRun http = cli(writeConfig(plainHttp, "plain-http.properties"), "query", "SELECT 1");
        assertThat(http.exitCode()).isEqualTo(1);
        assertThat(http.err().strip()).startsWith("lakehouse: cannot reach Trino at").hasLineCount(1);

        LakehouseConfig untrusted = trinoConfig.toBuilder().set(ConfigKeys.TRINO_TRUSTSTORE, "").build();
        assertThatThrownBy(() -> rows(untrusted, "SELECT 1")).isInstanceOf(SQLException.class);
        CliRun noTrustStore = cli(writeConfig(untrusted, "no-truststore.properties"), "query", "SELECT 1");
        assertThat(noTrustStore.exitCode()).isEqualTo(1);
        assertThat(noTrustStore.err().strip()).startsWith("lakehouse: Trino's certificate is not trusted")
                .contains(ConfigKeys.TRINO_TRUSTSTORE).hasLineCount(1);
    }

    @Test
    void theInternalHttpPortLetsNoClientIn() throws IOException {
        Properties server = new Properties();
        try (InputStream in = Files.newInputStream(workDir.resolve("run/trino/etc/config.properties"))) {
            server.load(in);
        }
        int internalPort = Integer.parseInt(server.getProperty("http-server.http.port"));
        assertThat(internalPort).isNotEqualTo(trinoConfig.trino().port());
        LakehouseConfig byUserName = trinoConfig.toBuilder().trinoPort(internalPort).set(ConfigKeys.TRINO_PASSWORD, "")
                .set(ConfigKeys.TRINO_TRUSTSTORE, "").set(ConfigKeys.TRINO_HTTPS, "false").build();
        assertThatThrownBy(() -> rows(byUserName, "SELECT 1")).isInstanceOf(SQLException.class)
                .hasMessageContaining("Authentication over HTTP is not enabled");
    }

    @Test
    void thePasswordShowsInNoOutputLogOrFile() throws IOException {
        List<CliRun> runs = List.of(cli(cliConfigFile, "query", "SELECT 1"), cli(cliConfigFile, "query", "SELEC 1"),
                cli(cliConfigFile, "status"), cli(cliConfigFile, "manifest"));
        assertThat(runs).allSatisfy(run -> assertThat(run.out() + run.err()).doesNotContain(PASSWORD));
        assertThat(runs.get(1).err()).contains("mismatched input 'SELEC'");
        assertThat(trinoConfig.trino().toString()).doesNotContain(PASSWORD).contains("password=(set)");

        // the server's configuration, keystore, certificate, password file (a hash) and logs
        try (Stream<Path> files = Files.walk(workDir.resolve("run"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                // byte for byte, binary files (the keystore) included
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(PASSWORD);
            }
        }
        Path clientLog = Path.of(System.getProperty("lakehouse.log.file", Path.of(System.getProperty("java.io.tmpdir"), "lakehouse.log").toString()));
        if (Files.exists(clientLog)) {
            assertThat(Files.readString(clientLog)).doesNotContain(PASSWORD);
        }
    }

    private static List<String> rows(LakehouseConfig client, String sql) throws SQLException {
        try (Connection connection = TrinoClient.connect(client)) {
            return RowsAsText.of(connection, sql);
        }
    }

    private static Path writeConfig(LakehouseConfig client, String name) {
        Path file = workDir.resolve(name);
        client.writeTo(file);
        return file;
    }

    private static CliRun cli(Path configFile, String... args) {
        List<String> withConfig = new ArrayList<>(List.of("--config", configFile.toString()));
        withConfig.addAll(List.of(args));
        return CliRun.of(withConfig.toArray(String[]::new));
    }
}
