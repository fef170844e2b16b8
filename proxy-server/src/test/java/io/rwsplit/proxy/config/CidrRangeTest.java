package io.rwsplit.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrRangeTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A v4-mapped v6 address as some stacks hand it over (Java itself turns the literal into a v4 address). */
    private static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xFF;
        bytes[11] = (byte) 0xFF;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        return java.net.Inet6Address.getByAddress(null, bytes, -1);
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.255.1.2, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "192.168.1.0/25, 192.168.1.127, true",
        "192.168.1.0/25, 192.168.1.128, false",
        "127.0.0.1, 127.0.0.1, true",
        "127.0.0.1, 127.0.0.2, false",
        "0.0.0.0/0, 203.0.113.9, true",
        "0.0.0.0/0, 2001:db8::1, false",
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "::1, ::1, true",
        "::1/128, ::2, false",
        "::/0, 2001:db8::1, true",
        "::/0, 10.0.0.1, false",
        "::ffff:10.0.0.0/104, 10.9.9.9, true",
        "::ffff:10.0.0.0/104, 11.0.0.1, false",
        "::ffff:10.1.2.3, 10.1.2.3, true",
    })
    void containsTheAddressesOfItsBlock(String range, String address, boolean expected) {
        assertThat(CidrRange.parse(range).contains(ip(address))).isEqualTo(expected);
    }

    @Test
    void anIpv4ClientSeenAsAMappedAddressMatchesIpv4Blocks() throws Exception {
        assertThat(CidrRange.parse("10.0.0.0/8").contains(mapped(10, 1, 2, 3))).isTrue();
        assertThat(CidrRange.parse("10.0.0.0/8").contains(mapped(11, 1, 2, 3))).isFalse();
        assertThat(CidrRange.parse("0.0.0.0/0").contains(mapped(203, 0, 113, 9))).isTrue();
    }

    @Test
    void aMappedBlockIsTheIpv4BlockItMaps() {
        assertThat(CidrRange.parse("::ffff:10.0.0.0/104")).isEqualTo(CidrRange.parse("10.0.0.0/8"));
        assertThat(CidrRange.parse("::ffff:10.0.0.0/104").toString()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void aBareAddressIsABlockOfOne() {
        assertThat(CidrRange.parse(" 127.0.0.1 ").prefixLength()).isEqualTo(32);
        assertThat(CidrRange.parse("::1").prefixLength()).isEqualTo(128);
    }

    @Test
    void theNetworkCannotBeChangedFromOutside() {
        CidrRange r = CidrRange.parse("10.0.0.0/8");
        r.network()[0] = 11;
        assertThat(r.contains(ip("10.1.1.1"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "db.example.com     | is not an IPv4 or IPv6 address",
        "''                 | is not an IPv4 or IPv6 address",
        "10                 | is not an IPv4 or IPv6 address",
        "1.2.3              | is not an IPv4 or IPv6 address",
        "1.2.3.4.5          | is not an IPv4 or IPv6 address",
        "256.1.1.1          | each of its four numbers must be 0 to 255",
        "010.0.0.1          | leading zero",
        "10.0.0.0/33        | invalid prefix length: expected 0 to 32",
        "10.0.0.0/-1        | invalid prefix length",
        "10.0.0.0/          | invalid prefix length",
        "10.0.0.0/8/9       | invalid prefix length",
        "::1/129            | invalid prefix length: expected 0 to 128",
        "::ffff:10.0.0.0/8  | expected 96 to 128 for an IPv4-mapped address",
        "1::2::3            | is not an IPv4 or IPv6 address",
        "fe80::1%eth0       | is not an IPv4 or IPv6 address",
        "[::1]              | is not an IPv4 or IPv6 address",
    })
    void badInputSaysWhatIsWrong(String text, String problem) {
        assertThatThrownBy(() -> CidrRange.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'").hasMessageContaining(problem);
    }
}
