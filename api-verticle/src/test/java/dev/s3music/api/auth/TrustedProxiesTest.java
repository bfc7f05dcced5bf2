package dev.s3music.api.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrustedProxiesTest {

    @Test
    void cidrBlocksAndSingleAddresses() {
        TrustedProxies p = TrustedProxies.parse(" 10.0.0.0/8, 192.168.1.7 ,172.16.0.0/12, fd00::/8");
        assertThat(p.trusts("10.1.2.3")).isTrue();
        assertThat(p.trusts("11.0.0.1")).isFalse();
        assertThat(p.trusts("192.168.1.7")).isTrue();
        assertThat(p.trusts("192.168.1.8")).isFalse();
        assertThat(p.trusts("172.31.255.255")).isTrue();
        assertThat(p.trusts("172.32.0.0")).isFalse();
        assertThat(p.trusts("fd12::1")).isTrue();
        assertThat(p.trusts("fe80::1")).isFalse();
        assertThat(p.trusts("::ffff:10.0.0.9")).isTrue();
        assertThat(p.trusts("example.com")).isFalse();
        assertThat(p.trusts(null)).isFalse();
        assertThat(TrustedProxies.parse("0.0.0.0/0").trusts("8.8.8.8")).isTrue();
        assertThat(TrustedProxies.parse("").trusts("127.0.0.1")).isFalse();
        assertThat(TrustedProxies.NONE.trusts("127.0.0.1")).isFalse();
    }

    @Test
    void garbageIsRefusedWithItsEntry() {
        for (String bad : new String[]{"10.0.0.0/33", "proxy.internal", "10.0.0/8", "10.0.0.256", "10.0.0.0/x", "::1/129"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(bad));
            assertThat(e.getMessage()).contains(bad);
        }
    }
}
