package io.rwsplit.core.cli;

import io.rwsplit.core.balance.LoadBalancers;
import io.rwsplit.core.config.BalanceStrategy;
import io.rwsplit.core.route.Explainer;
import io.rwsplit.core.route.Router;
import io.rwsplit.core.route.RoutingPolicy;
import io.rwsplit.core.sql.StatementClassifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rwsplit-core explain}: where statements would go, before deploying. */
@Command(name = "rwsplit", mixinStandardHelpOptions = true, subcommands = CoreCli.Explain.class,
        description = "rwsplit routing tools.")
public final class CoreCli implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new InputStreamReader(System.in, StandardCharsets.UTF_8),
                new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int run(String[] args, Reader in, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new CoreCli());
        cl.setOut(out);
        cl.setErr(err);
        ((Explain) cl.getSubcommands().get("explain").getCommand()).input = in;
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = {"Prints where each statement would go in a fresh autocommit session, and why:",
                "one line per statement, ROUTE<TAB>reason, ROUTE one of replica, primary, previous,",
                "session, begin, begin-ro, end. Statements come from the arguments (one statement),",
                "or from standard input, one per line (\\n inside a line is a newline)."})
    static final class Explain implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..*", paramLabel = "SQL", description = "A statement (words are joined with spaces).")
        List<String> sql;

        Reader input;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (StatementClassifier classifier = StatementClassifier.withDefaults()) {
                Explainer explainer = new Explainer(classifier, new Router(RoutingPolicy.DEFAULTS,
                        LoadBalancers.create(BalanceStrategy.ROUND_ROBIN, RandomGenerator.of("L64X128MixRandom"))),
                        Explainer::exampleTopology);
                if (sql != null && !sql.isEmpty()) {
                    out.println(explainer.explain(String.join(" ", sql)).line());
                    return 0;
                }
                BufferedReader r = new BufferedReader(input);
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        out.println(explainer.explain(line.replace("\\n", "\n")).line());
                    }
                }
                out.flush();
                return 0;
            }
        }
    }
}
