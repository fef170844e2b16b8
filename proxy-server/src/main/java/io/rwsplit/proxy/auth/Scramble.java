package io.rwsplit.proxy.auth;

import java.security.SecureRandom;

/**
 * Makes the 20-byte scramble (nonce) a server sends in its greeting and auth switch requests.
 *
 * <p>Servers keep scramble bytes printable: MySQL's {@code generate_user_salt} masks random bytes
 * to 7 bits and bumps NUL and '$' (the separator of its sha256 crypt salts) to the next value;
 * MariaDB's {@code create_random_string} draws from '!' (33) to '~' (126). Clients treat the
 * scramble as a NUL-terminated string in places, so a NUL would cut it short. This class draws
 * each byte uniformly from '!'..'~' without '$': 93 symbols, about 130 bits in all, and a byte
 * that both servers could have produced.
 */
public final class Scramble {

    public static final int LENGTH = 20;
    private static final int FIRST = '!';
    /** '!'..'~' is 94 characters; less '$'. */
    private static final int SYMBOLS = 93;

    private final SecureRandom random;

    public Scramble(SecureRandom random) {
        this.random = random;
    }

    /** A fresh scramble; use each one for a single authentication attempt. */
    public byte[] next() {
        byte[] scramble = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int c = FIRST + random.nextInt(SYMBOLS);
            scramble[i] = (byte) (c >= '$' ? c + 1 : c);
        }
        return scramble;
    }
}
