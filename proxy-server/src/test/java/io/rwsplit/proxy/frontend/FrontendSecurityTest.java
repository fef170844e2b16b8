package io.rwsplit.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.config.AuthFailureLimits;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.proxy.config.UserConfig;
import io.rwsplit.proxy.frontend.FrontendHarness.Out;
import io.rwsplit.proxy.protocol.HandshakeV10;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The login's security rules with no database behind the proxy: what a client gets (errno,
 * SQLSTATE, a closed connection, and when) for a password in clear over a plain connection, a
 * TLS-only user without TLS, and an address that keeps failing. Time is the harness's, moved by
 * hand: nothing here sleeps.
 */
class FrontendSecurityTest {

    private static final LimitsConfig LIMITS = LimitsConfig.DEFAULTS.withAuthTimeout(Duration.ofSeconds(2));

    private FrontendHarness proxy;

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static byte[] clearText(String password) {
        return (password + "\0").getBytes(StandardCharsets.UTF_8);
    }

    /** Greeting, then a fast-path answer for another scramble: the proxy asks for full authentication. */
    private static void toFullAuthentication(FrontendHarness p) {
        p.greeting();
        p.send(1, FrontendHarness.handshakeResponse(new byte[20]));
        assertThat(p.next().payload()).as("perform full authentication")
                .containsExactly(0x01, CachingSha2Password.PERFORM_FULL_AUTHENTICATION);
    }

    /** A login with a wrong password (an RSA block that is not one); its answer may wait. */
    private static void sendWrongPassword(FrontendHarness p) {
        toFullAuthentication(p);
        byte[] notRsa = new byte[256];
        Arrays.fill(notRsa, (byte) 0x5A);
        p.send(3, notRsa);
    }

    @Test
    void aRightPasswordInClearOverAPlainConnectionIsDenied() {
        FrontendHarness p = proxy = new FrontendHarness(LIMITS);
        toFullAuthentication(p);
        // what a client sends over TLS; over a plain connection only the RSA-encrypted form is taken
        p.send(3, clearText(FrontendHarness.PASSWORD));
        Out err = p.next();
        assertThat(err.err().message()).startsWith("Access denied for user 'app'");
        p.assertRefused(err, 1045, "28000");
    }

    @Test
    void overAPlainConnectionFullAuthenticationGoesThroughTheRsaKey() throws Exception {
        FrontendHarness p = proxy = new FrontendHarness(LIMITS);
        HandshakeV10 g = p.greeting();
        p.send(1, FrontendHarness.handshakeResponse(new byte[20]));
        assertThat(p.next().payload()).containsExactly(0x01, CachingSha2Password.PERFORM_FULL_AUTHENTICATION);
        p.send(3, new byte[] {CachingSha2Password.REQUEST_PUBLIC_KEY});
        Out key = p.next();
        PublicKey pub = CachingSha2Password.parsePublicKeyPem(new String(key.payload(), 1, key.payload().length - 1,
                StandardCharsets.US_ASCII));
        p.send(5, CachingSha2Password.encryptFull(pub, FrontendHarness.PASSWORD, g.scramble()));
        Out ok = p.next();
        assertThat(ok.isOk()).as("logged in, not %s", ok).isTrue();
        assertThat(ok.sequenceId()).isEqualTo(6);
    }

    @Test
    void aTlsOnlyUserWithoutTlsIsDeniedWith1045() {
        FrontendHarness p = proxy = new FrontendHarness(LIMITS, List.of(UserConfig.plain(FrontendHarness.USER,
                FrontendHarness.PASSWORD).withRequireTls(true)));
        p.send(1, FrontendHarness.handshakeResponse(p.greeting().scramble()));
        assertThat(p.next().payload()).as("the password was right").containsExactly(0x01,
                CachingSha2Password.FAST_AUTH_SUCCESS);
        Out err = p.next();
        assertThat(err.err().message()).startsWith("Access denied for user 'app'").contains("requires TLS");
        p.assertRefused(err, 1045, "28000");
    }

    @Test
    void aDelayNeverOutlastsTheLoginTimeoutSinceTheConnectionHoldsASlotMeanwhile() {
        LimitsConfig limits = LIMITS.withAuthFailures(new AuthFailureLimits(1, Duration.ofSeconds(1),
                Duration.ofSeconds(8), Duration.ofMinutes(10)));
        FrontendHarness p = proxy = new FrontendHarness(limits);
        sendWrongPassword(p);
        p.assertRefused(p.next(), 1045, "28000");
        p.reconnect();
        // 1 s, then 2 s (the 2 s auth timeout), then 2 s again where the doubling would say 4 s
        for (Duration wait : List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            sendWrongPassword(p);
            p.advance(wait.minusMillis(1));
            assertThat(p.next()).as("no answer before %s", wait).isNull();
            p.advance(Duration.ofMillis(1));
            p.assertRefused(p.next(), 1045, "28000");
            p.reconnect();
        }
    }

    @Test
    void afterRepeatedFailuresEachAnswerWaitsLongerAndASuccessResets() {
        LimitsConfig limits = LIMITS.withAuthTimeout(Duration.ofSeconds(5)).withAuthFailures(new AuthFailureLimits(2,
                Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMinutes(10)));
        FrontendHarness p = proxy = new FrontendHarness(limits);
        for (int i = 0; i < 2; i++) {
            sendWrongPassword(p);
            p.assertRefused(p.next(), 1045, "28000");
            p.reconnect();
        }
        // the third failure: answered after 1 s, the fourth after 2 s, then the cap of 4 s
        for (Duration wait : List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(4))) {
            sendWrongPassword(p);
            p.advance(wait.minusMillis(1));
            assertThat(p.next()).as("no answer before %s", wait).isNull();
            assertThat(p.channel.isOpen()).isTrue();
            p.advance(Duration.ofMillis(1));
            p.assertRefused(p.next(), 1045, "28000");
            p.reconnect();
        }
        // the right password waits as long (the time must not tell the verdict)
        p.send(1, FrontendHarness.handshakeResponse(p.greeting().scramble()));
        p.advance(Duration.ofMillis(3999));
        assertThat(p.next()).as("no answer yet, and no login timeout either").isNull();
        p.advance(Duration.ofMillis(1));
        assertThat(p.next().payload()).containsExactly(0x01, CachingSha2Password.FAST_AUTH_SUCCESS);
        assertThat(p.next().isOk()).isTrue();
        p.reconnect();
        sendWrongPassword(p);
        p.assertRefused(p.next(), 1045, "28000"); // at once: the success started the address afresh
    }

    @Test
    void aClientThatLeavesDuringTheDelayGetsNothingAndLeavesNothingBehind() {
        LimitsConfig limits = LIMITS.withAuthFailures(new AuthFailureLimits(1, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofMinutes(10)));
        FrontendHarness p = proxy = new FrontendHarness(limits);
        sendWrongPassword(p);
        p.assertRefused(p.next(), 1045, "28000");
        p.reconnect();
        sendWrongPassword(p);
        p.channel.close();
        p.advance(Duration.ofSeconds(2));
        assertThat(p.next()).isNull();
        assertThat(p.runtime.clientCount()).isZero();
    }
}
