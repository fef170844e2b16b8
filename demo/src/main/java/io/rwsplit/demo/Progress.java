package io.rwsplit.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The workload's progress: one line redrawn in place on a terminal, or a plain line every few
 * seconds when the output goes to a file or a pipe (where carriage returns would pile up).
 */
final class Progress {

    private static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

    private final PrintWriter out;
    private final boolean tty;
    private final Duration total;
    private final long startNanos;
    private final long endNanos;
    private long nextPlainNanos;
    private int lastWidth;

    Progress(PrintWriter out, boolean tty, Duration total) {
        this.out = out;
        this.tty = tty;
        this.total = total;
        this.startNanos = System.nanoTime();
        this.endNanos = startNanos + total.toNanos();
        this.nextPlainNanos = startNanos + PLAIN_EVERY.toNanos();
    }

    void update(Tally.Snapshot s) {
        long now = System.nanoTime();
        if (tty) {
            redraw(line(s, now));
        } else if (now >= nextPlainNanos && now < endNanos - PLAIN_EVERY.toNanos() / 5) {
            // (not just before the end: finish() prints the last line)
            nextPlainNanos += PLAIN_EVERY.toNanos();
            out.println(line(s, now));
        }
    }

    /** The last state, and the end of the line. */
    void finish(Tally.Snapshot s) {
        String line = line(s, System.nanoTime());
        if (tty) {
            redraw(line);
            out.println();
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void redraw(String line) {
        // shorter than the last one: blank out what it leaves behind
        int pad = Math.max(0, lastWidth - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastWidth = line.length();
    }

    private String line(Tally.Snapshot s, long now) {
        double elapsed = Math.min((now - startNanos) / 1e9, total.toMillis() / 1e3);
        double rate = elapsed > 0 ? s.statements() / elapsed : 0;
        return String.format(Locale.ROOT, "  %5.1f s of %.0f s   reads %,d   writes %,d   transactions %,d"
                + "   errors %,d   %,.0f statements/s", elapsed, total.toMillis() / 1e3, s.reads(), s.writes(),
                s.transactions(), s.errors(), rate);
    }
}
