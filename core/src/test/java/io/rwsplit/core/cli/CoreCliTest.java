package io.rwsplit.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The {@code explain} command line, run in-process with string streams. */
class CoreCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) {
        return CoreCli.run(args, new StringReader(stdin), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String[] lines() {
        return out.toString().split("\\R");
    }

    @Test
    void explainArgumentsPrintsRouteTabReason() {
        int code = run("", "explain", "SELECT", "1");
        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("replica\tread" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void argumentsAreJoinedIntoOneStatement() {
        assertThat(run("", "explain", "SELECT * FROM t", "FOR", "UPDATE")).isZero();
        assertThat(lines()).containsExactly("primary\tlocking read (FOR UPDATE)");
    }

    @Test
    void argumentsWinOverStandardInput() {
        assertThat(run("INSERT INTO t VALUES (1)\n", "explain", "SELECT 1")).isZero();
        assertThat(lines()).containsExactly("replica\tread");
    }

    @Test
    void standardInputGivesOneLinePerStatementAndSkipsBlankLines() {
        String stdin = "SELECT 1\n\n   \nINSERT INTO t VALUES (1)\nBEGIN\nSHOW WARNINGS\nSET NAMES utf8mb4\n"
                + "START TRANSACTION READ ONLY\nCOMMIT\n";
        assertThat(run(stdin, "explain")).isZero();
        String[] lines = lines();
        assertThat(lines).extracting(l -> l.substring(0, l.indexOf('\t'))).containsExactly("replica", "primary",
                "begin", "previous", "session", "begin-ro", "end");
        assertThat(lines[1]).isEqualTo("primary\twrite (INSERT)");
        assertThat(lines[3]).isEqualTo(
                "previous\treads the previous statement's warnings; no previous statement's server, so the primary");
        assertThat(lines[5]).matches("begin-ro\tread-only transaction on replica[12]");
    }

    @Test
    void everyLineIsExplainedInAFreshSession() {
        // the temporary table of line 1 does not pin line 2
        assertThat(run("CREATE TEMPORARY TABLE tmp (id INT)\nSELECT * FROM tmp\n", "explain")).isZero();
        assertThat(lines()).containsExactly("primary\tcreates a temporary table on the primary", "replica\tread");
    }

    @Test
    void backslashNInsideALineIsANewline() {
        // with a real newline the comment ends before FOR UPDATE; read as one line it would hide it
        assertThat(run("SELECT * FROM t -- note\\nFOR UPDATE\n", "explain")).isZero();
        assertThat(lines()).containsExactly("primary\tlocking read (FOR UPDATE)");
    }

    @Test
    void emptyStandardInputPrintsNothing() {
        assertThat(run("", "explain")).isZero();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void helpExitsZeroAndDescribesTheCommand() {
        assertThat(run("", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: rwsplit").contains("explain");
    }

    @Test
    void explainHelpListsTheRoutes() {
        assertThat(run("", "explain", "--help")).isZero();
        assertThat(out.toString()).contains("ROUTE<TAB>reason").contains("begin-ro");
    }

    @Test
    void noSubcommandPrintsUsage() {
        assertThat(run("")).isZero();
        assertThat(out.toString()).contains("Usage: rwsplit");
    }

    @Test
    void unknownOptionIsAUsageError() {
        int code = run("", "explain", "--frobnicate");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--frobnicate");
    }
}
