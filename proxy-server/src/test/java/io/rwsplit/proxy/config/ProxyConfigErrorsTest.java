package io.rwsplit.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rwsplit.core.config.ConfigException;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.NativePassword;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rejected proxy config names its key, says what is expected, and shows no password or hash. */
class ProxyConfigErrorsTest {

    private static final String SECRET = "Pa55-w0rd-Xyz";
    private static final String NATIVE_HASH = NativePassword.hashOf(SECRET);
    private static final String SHA2_HASH = CachingSha2Password.hashOf(SECRET);
    private static final String NODES = "nodes:\n  - host: db1\n";
    private static final String USERS = "users:\n  - {name: app, password: pw}\n";

    static ConfigException load(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ProxyConfigLoader.load(yaml, Map.of("PW", SECRET)::get));
        assertThat(e).as("config should be rejected:\n%s", yaml).isNotNull();
        assertThat(e.getMessage()).doesNotContain(SECRET, NATIVE_HASH.substring(1), SHA2_HASH.substring(8),
                SHA2_HASH.substring(8).toLowerCase());
        return e;
    }

    private static ConfigException user(String userYaml) {
        return load("users:\n  - " + userYaml + "\n" + NODES);
    }

    // ---- users

    @Test
    void usersAreRequired() {
        ConfigException e = load(NODES);
        assertThat(e.key()).isEqualTo("users");
        assertThat(e.getMessage()).contains("missing config key 'users'", "at least one user");
    }

    @Test
    void theUserListMustNotBeEmpty() {
        ConfigException e = load("users: []\n" + NODES);
        assertThat(e.key()).isEqualTo("users");
        assertThat(e.getMessage()).contains("'users'", "empty", "at least one user");
    }

    @Test
    void usersAreAList() {
        ConfigException e = load("users: {name: app, password: pw}\n" + NODES);
        assertThat(e.key()).isEqualTo("users");
        assertThat(e.getMessage()).contains("'users'", "but got a section");
    }

    @Test
    void aUserNeedsAName() {
        ConfigException e = user("{password: '${PW}'}");
        assertThat(e.key()).isEqualTo("users[0].name");
        assertThat(e.getMessage()).contains("missing config key 'users[0].name'");
    }

    @Test
    void aMisspeltUserKeyIsSuggested() {
        ConfigException e = user("{name: app, pasword: '${PW}'}");
        assertThat(e.key()).isEqualTo("users[0].pasword");
        assertThat(e.getMessage()).contains("unknown config key 'users[0].pasword'", "did you mean 'password'?");
    }

    @Test
    void aMisspeltProxyKeyIsSuggested() {
        ConfigException e = load(USERS + NODES + "limit: {maxConnections: 5}\n");
        assertThat(e.key()).isEqualTo("limit");
        assertThat(e.getMessage()).contains("unknown config key 'limit'", "did you mean 'limits'?",
                "listen, users, tls, backend, limits");
    }

    @Test
    void userNamesAreUnique() {
        ConfigException e = load("users:\n  - {name: app, password: a}\n  - {name: ro, password: b}\n"
                + "  - {name: app, password: c}\n" + NODES);
        assertThat(e.key()).isEqualTo("users[2].name");
        assertThat(e.getMessage()).contains("duplicate user name 'app'", "'users[2].name'", "users[0]", "unique");
    }

    @Test
    void aPasswordAndAHashAreOneTooMany() {
        ConfigException e = user("{name: app, password: " + SECRET + ", passwordHash: '" + NATIVE_HASH + "'}");
        assertThat(e.key()).isEqualTo("users[0].passwordHash");
        assertThat(e.getMessage()).contains("'users[0].password' and 'users[0].passwordHash' are both set",
                "expected one of them");
    }

    @Test
    void aUserNeedsAPasswordOrAHash() {
        ConfigException e = user("{name: app}");
        assertThat(e.key()).isEqualTo("users[0].password");
        assertThat(e.getMessage()).contains("missing config key 'users[0].password'", "users[0].passwordHash");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E1",     // 39 digits
        "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19AA",  // 42
        "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1EZZ",    // not hex
    })
    void aBadNativeHashIsRejectedWithoutShowingIt(String hash) {
        ConfigException e = user("{name: app, passwordHash: '" + hash + "', backendPassword: x}");
        assertThat(e.key()).isEqualTo("users[0].passwordHash");
        assertThat(e.getMessage()).contains("invalid value '****' for config key 'users[0].passwordHash'",
                "mysql_native_password", "'*' and 40 hex digits").doesNotContain(hash.substring(1, 20));
    }

    @Test
    void aBadSha2HashIsRejectedWithoutShowingIt() {
        String hash = SHA2_HASH.substring(0, SHA2_HASH.length() - 2);
        ConfigException e = user("{name: app, passwordHash: '" + hash + "', backendPassword: x}");
        assertThat(e.key()).isEqualTo("users[0].passwordHash");
        assertThat(e.getMessage()).contains("'****'", "caching_sha2_password", "'sha256d:' and 64 hex digits");
    }

    @Test
    void aHashOfNoKnownFormListsTheForms() {
        ConfigException e = user("{name: app, passwordHash: 'md5:" + SECRET + "', backendPassword: x}");
        assertThat(e.key()).isEqualTo("users[0].passwordHash");
        assertThat(e.getMessage()).contains("'****'", "'*' and 40 hex digits", "'sha256d:' and 64 hex digits");
    }

    @Test
    void mysqlsSaltedSha2FormIsExplained() {
        ConfigException e = user("{name: app, passwordHash: '$A$005$" + SECRET + "', backendPassword: x}");
        assertThat(e.getMessage()).contains("'$A$...' form", "salted", "give the password or its 'sha256d:' form");
    }

    @Test
    void anEmptyHashPointsToAnEmptyPassword() {
        ConfigException e = user("{name: app, passwordHash: '', backendPassword: x}");
        assertThat(e.key()).isEqualTo("users[0].passwordHash");
        assertThat(e.getMessage()).contains("users[0].password: \"\"");
    }

    @Test
    void aHashAloneNeedsABackendPassword() {
        ConfigException e = user("{name: app, passwordHash: '" + NATIVE_HASH + "'}");
        assertThat(e.key()).isEqualTo("users[0].backendPassword");
        assertThat(e.getMessage()).contains("missing config key 'users[0].backendPassword'", "account 'app'",
                "cannot log in to the servers");
    }

    @Test
    void anUnsetVariableNamesTheVariableAndTheKey() {
        ConfigException e = user("{name: app, password: '${APP_PASSWORD}'}");
        assertThat(e.key()).isEqualTo("users[0].password");
        assertThat(e.getMessage()).contains("'users[0].password'", "environment variable 'APP_PASSWORD'", "not set");
    }

    @Test
    void anUnsetVariableForTheBackendPasswordToo() {
        ConfigException e = user("{name: app, password: '${PW}', backendPassword: '${DB_PW}'}");
        assertThat(e.key()).isEqualTo("users[0].backendPassword");
        assertThat(e.getMessage()).contains("environment variable 'DB_PW'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[10.0.0.0/8, 10.0.0.300]   | users[0].allowedHosts[1] | '10.0.0.300'",
        "[db.example.com]           | users[0].allowedHosts[0] | 'db.example.com'",
        "[10.0.0.0/33]              | users[0].allowedHosts[0] | invalid prefix length: expected 0 to 32",
        "\"127.0.0.1, 10\"            | users[0].allowedHosts[1] | '10'",
    })
    void aBadAddressNamesItsEntry(String hosts, String key, String problem) {
        ConfigException e = user("{name: app, password: pw, allowedHosts: " + hosts + "}");
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).contains("'" + key + "'", problem, "expected an address or CIDR block");
    }

    @Test
    void anEmptyAllowListIsNotTakenForAnywhere() {
        ConfigException e = user("{name: app, password: pw, allowedHosts: []}");
        assertThat(e.key()).isEqualTo("users[0].allowedHosts");
        assertThat(e.getMessage()).contains("at least one address", "leave the key out to allow every address");
    }

    // ---- listen, backend, limits

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "listen: {port: 65536}          | listen.port            | '65536' | a whole number from 0 to 65535",
        "listen: {port: -1}             | listen.port            | '-1'    | a whole number from 0 to 65535",
        "listen: {address: '0.0.0.0:6033'} | listen.address      | '0.0.0.0:6033' | without a port (give the port as listen.port)",
        "listen: {address: ''}          | listen.address         | ''''    | the local address",
        "listen: {transport: kqueue}    | listen.transport       | 'kqueue' | one of auto, epoll, nio",
        "backend: {tls: verify}         | backend.tls            | 'verify' | one of disabled, preferred, required",
        "backend: {connectTimeout: 0}   | backend.connectTimeout | '0'     | greater than 0",
        "limits: {workerThreads: 1025}  | limits.workerThreads   | '1025'  | a whole number from 0 to 1024",
        "limits: {workerThreads: -1}    | limits.workerThreads   | '-1'    | a whole number from 0 to 1024",
        "limits: {maxConnections: 0}    | limits.maxConnections  | '0'     | 1 or more",
        "limits: {authTimeout: 0s}      | limits.authTimeout     | '0s'    | greater than 0",
        "limits: {readTimeout: 0s}      | limits.readTimeout     | '0s'    | greater than 0",
        "limits: {shutdownGrace: soon}  | limits.shutdownGrace   | 'soon'  | a duration",
        "limits: {maxMessageBytes: 512} | limits.maxMessageBytes | '512'   | a size from 1KiB to 1GiB",
        "limits: {maxMessageBytes: 2G}  | limits.maxMessageBytes | '2G'    | a size from 1KiB to 1GiB",
        "limits: {maxMessageBytes: 64 megs} | limits.maxMessageBytes | '64 megs' | 'megs' is not a unit",
        "limits: {maxMessageBytes: 1073741825} | limits.maxMessageBytes | '1073741825' | a size from 1KiB to 1GiB",
    })
    void badValuesNameTheKeyTheValueAndWhatIsExpected(String yaml, String key, String shown, String expected) {
        ConfigException e = load(USERS + NODES + yaml + "\n");
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).contains("'" + key + "'", shown, expected);
    }

    // ---- TLS

    @Test
    void aCertificateNeedsAKey(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), ProxyConfigLoaderTest.CERT_PEM);
        ConfigException e = load(USERS + NODES + "tls: {certificate: '" + cert + "'}\n");
        assertThat(e.key()).isEqualTo("tls.key");
        assertThat(e.getMessage()).contains("missing config key 'tls.key'", "private key", "tls.certificate");
    }

    @Test
    void aKeyNeedsACertificate(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), ProxyConfigLoaderTest.KEY_PEM);
        ConfigException e = load(USERS + NODES + "tls: {key: '" + key + "'}\n");
        assertThat(e.key()).isEqualTo("tls.certificate");
        assertThat(e.getMessage()).contains("missing config key 'tls.certificate'", "tls.key");
    }

    @Test
    void aMissingCertificateFileIsNamed(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), ProxyConfigLoaderTest.KEY_PEM);
        Path cert = dir.resolve("nope/cert.pem");
        ConfigException e = load(USERS + NODES + "tls: {certificate: '" + cert + "', key: '" + key + "'}\n");
        assertThat(e.key()).isEqualTo("tls.certificate");
        assertThat(e.getMessage()).contains("'tls.certificate'", "'" + cert + "'", "does not exist");
    }

    @Test
    void aRelativePathFromAFileIsResolvedBesideTheFileAndNamedInFull(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cert.pem"), ProxyConfigLoaderTest.CERT_PEM);
        Path file = Files.writeString(dir.resolve("proxy.yaml"), USERS + NODES
                + "tls: {certificate: cert.pem, key: key.pem}\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ProxyConfigLoader.load(file));
        assertThat(e.key()).isEqualTo("tls.key");
        assertThat(e.getMessage()).startsWith("config file '" + file + "': ")
                .contains("'" + dir.resolve("key.pem").toAbsolutePath() + "'", "does not exist",
                        "the config file's directory");
    }

    @Test
    void aDirectoryIsNotAKeyFile(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), ProxyConfigLoaderTest.CERT_PEM);
        ConfigException e = load(USERS + NODES + "tls: {certificate: '" + cert + "', key: '" + dir + "'}\n");
        assertThat(e.key()).isEqualTo("tls.key");
        assertThat(e.getMessage()).contains("'" + dir + "'", "is a directory");
    }

    @Test
    void swappedFilesAreCaught(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), ProxyConfigLoaderTest.CERT_PEM);
        Path key = Files.writeString(dir.resolve("key.pem"), ProxyConfigLoaderTest.KEY_PEM);
        ConfigException e = load(USERS + NODES + "tls: {certificate: '" + key + "', key: '" + cert + "'}\n");
        assertThat(e.key()).isEqualTo("tls.certificate");
        assertThat(e.getMessage()).contains("'" + key + "'", "is not a PEM certificate")
                .doesNotContain("MIIEfake");
    }

    @Test
    void anUnreadableKeyFileIsNamed(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), ProxyConfigLoaderTest.CERT_PEM);
        Path key = Files.writeString(dir.resolve("key.pem"), ProxyConfigLoaderTest.KEY_PEM);
        assumeTrue(key.toFile().setReadable(false, false) && !Files.isReadable(key),
                "root, or a file system without permissions: nothing is unreadable here");
        ConfigException e = load(USERS + NODES + "tls: {certificate: '" + cert + "', key: '" + key + "'}\n");
        assertThat(e.key()).isEqualTo("tls.key");
        assertThat(e.getMessage()).contains("'" + key + "'", "cannot be read");
    }

    @Test
    void requiredTlsNeedsACertificateOrSelfSigned() {
        ConfigException e = load(USERS + NODES + "tls: {required: true}\n");
        assertThat(e.key()).isEqualTo("tls.required");
        assertThat(e.getMessage()).contains("'tls.required' is true but TLS is off", "tls.certificate",
                "tls.selfSigned: true");
    }

    @Test
    void selfSignedAndACertificateContradict(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), ProxyConfigLoaderTest.CERT_PEM);
        Path key = Files.writeString(dir.resolve("key.pem"), ProxyConfigLoaderTest.KEY_PEM);
        ConfigException e = load(USERS + NODES + "tls: {certificate: '" + cert + "', key: '" + key
                + "', selfSigned: true}\n");
        assertThat(e.key()).isEqualTo("tls.selfSigned");
        assertThat(e.getMessage()).contains("'tls.selfSigned' is true", "'tls.certificate' is set");
    }

    // ---- shared keys still checked

    @Test
    void theRoutingKeysAreCheckedToo() {
        ConfigException e = load(USERS + "nodes:\n  - host: db1\n    port: 0\n");
        assertThat(e.key()).isEqualTo("nodes[0].port");
    }
}
