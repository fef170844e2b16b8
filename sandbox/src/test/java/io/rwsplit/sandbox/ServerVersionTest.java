package io.rwsplit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerVersionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // recorded from the binaries themselves
        "/root/.cache/rwsplit/mariadb-11.4.5-linux-x86_64/bin/mariadbd  Ver 11.4.5-MariaDB for Linux on x86_64 (MariaDB Server)|MARIADB|11|4|5",
        "/usr/sbin/mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)|MARIADB|10|11|19",
        "/usr/sbin/mysqld  Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)|MYSQL|8|4|3",
        "/usr/sbin/mysqld  Ver 8.0.39-0ubuntu0.22.04.1 for Linux on x86_64 ((Ubuntu))|MYSQL|8|0|39",
        "/usr/local/mysql/bin/mysqld  Ver 9.1.0 for Linux on x86_64 (MySQL Community Server - GPL)|MYSQL|9|1|0",
        // SELECT VERSION()
        "11.4.5-MariaDB-log|MARIADB|11|4|5",
        "8.4.3|MYSQL|8|4|3",
    })
    void readsFlavorAndVersionFromWhatServersPrint(String text, Flavor flavor, int major, int minor, int patch) {
        assertThat(ServerVersion.parse(text)).isEqualTo(new ServerVersion(flavor, major, minor, patch));
    }

    @Test
    void aPathWithDigitsDoesNotPassForTheVersion() {
        assertThat(ServerVersion.parse("/opt/db1.2.3/bin/mysqld  Ver 8.0.36 for Linux on x86_64"))
                .isEqualTo(new ServerVersion(Flavor.MYSQL, 8, 0, 36));
    }

    @Test
    void textWithoutAVersionIsRejectedWithTheText() {
        assertThatThrownBy(() -> ServerVersion.parse("bash: mysqld: command not found"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("command not found");
    }

    @Test
    void comparesNumerically() {
        assertThat(ServerVersion.parse("10.11.2-MariaDB").atLeast(10, 6, 0)).isTrue();
        assertThat(ServerVersion.parse("10.5.9-MariaDB").atLeast(10, 6, 0)).isFalse();
        assertThat(ServerVersion.parse("8.0.22").atLeast(8, 0, 23)).isFalse();
    }

    @Test
    void credentialsNeverPrintTheirPassword() {
        assertThat(new Credentials("app", "s3cret").toString()).doesNotContain("s3cret").contains("app");
    }
}
