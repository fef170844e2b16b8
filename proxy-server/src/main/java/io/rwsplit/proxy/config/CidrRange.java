package io.rwsplit.proxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A block of client addresses, {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a block
 * of one. An IPv4 client seen as an IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) matches
 * IPv4 blocks.
 */
public record CidrRange(byte[] network, int prefixLength) {

    private static final Pattern IPV4_SYNTAX = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern IPV6_SYNTAX = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public CidrRange {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes");
        }
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range");
        }
    }

    /**
     * Parses {@code address[/prefix]}; the address must be numeric (no name lookups at start).
     * IPv4 is only the four-number form: {@code InetAddress} would also read {@code 10} as
     * {@code 0.0.0.10} and {@code 1.2.3} as {@code 1.2.0.3}, and would look up {@code 1.2.3.4.5} in
     * DNS, none of which an allow-list should do quietly. An IPv4-mapped block
     * ({@code ::ffff:10.0.0.0/104}) is the IPv4 block it maps ({@code 10.0.0.0/8}).
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static CidrRange parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        boolean v6Syntax = addressText.contains(":");
        if (v6Syntax ? !IPV6_SYNTAX.matcher(addressText).matches() : !IPV4_SYNTAX.matcher(addressText).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address or a CIDR block such as "
                    + "10.0.0.0/8");
        }
        if (!v6Syntax) {
            for (String part : addressText.split("\\.")) {
                if (part.length() > 1 && part.charAt(0) == '0') {
                    throw new IllegalArgumentException("'" + text + "' has a number with a leading zero, which some "
                            + "tools read as octal; write it without");
                }
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: each of its four "
                            + "numbers must be 0 to 255");
                }
            }
        }
        byte[] address;
        try {
            // Only literals get here, so this parses and never asks DNS.
            address = InetAddress.getByName(addressText).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
        boolean mapped = v6Syntax && address.length == 4;
        int max = address.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            int low = mapped ? 96 : 0;
            int high = mapped ? 128 : max;
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) < low || Integer.parseInt(p) > high) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length: expected " + low
                        + " to " + high + (mapped ? " for an IPv4-mapped address" : ""));
            }
            prefix = Integer.parseInt(p) - low;
        }
        return new CidrRange(address, prefix);
    }

    /** A copy: the record must stay immutable. */
    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Whether {@code address} is in this block. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrRange c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
