package dev.s3music.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploySettingsTest {

    private static DeploySettings settings(Map<String, Object> context) {
        Map<String, Object> c = new HashMap<>(context);
        c.putIfAbsent("image", "example/s3music:1");
        return DeploySettings.from(c::get);
    }

    @Test
    void takesDefaultsForEverythingButTheImage() {
        DeploySettings s = DeploySettings.defaults("example/s3music:1");
        assertThat(s.apiMin()).isEqualTo(2);
        assertThat(s.apiMax()).isEqualTo(6);
        assertThat(s.redisReplicas()).isEqualTo(2);
        assertThat(s.https()).isFalse();
        assertThat(s.existingBucketName()).isNull();
        assertThat(s.stopTimeoutSeconds()).isEqualTo(30 + DeploySettings.LEAVE_MARGIN_SECONDS);
        assertThat(s.adminUser()).isEqualTo("admin");
    }

    @Test
    void takesTheAdminNameAndRefusesOneTheServerWouldNot() {
        assertThat(settings(Map.of("adminUser", "teacher")).adminUser()).isEqualTo("teacher");
        assertThat(settings(Map.of("adminUser", "é".repeat(64))).adminUser()).hasSize(64);
        assertThatThrownBy(() -> settings(Map.of("adminUser", "x".repeat(65)))).hasMessageStartingWith("context adminUser:");
        assertThatThrownBy(() -> settings(Map.of("adminUser", "the teacher"))).hasMessageStartingWith("context adminUser:");
    }

    @Test
    void readsNumbersFromCdkJsonAndStringsFromTheCommandLine() {
        DeploySettings s = settings(Map.of("apiMax", 10, "indexerMax", "8", "cacheTtl", "12h"));
        assertThat(s.apiMax()).isEqualTo(10);
        assertThat(s.indexerMax()).isEqualTo(8);
        assertThat(s.cacheTtl()).isEqualTo("12h");
    }

    @Test
    void theUploadCorsOriginIsTheSiteOriginElseTheDomainAndABadOneIsRefused() {
        assertThat(DeploySettings.defaults("example/s3music:1").corsOrigin()).isNull();
        assertThat(settings(Map.of("domainName", "music.example.org", "certificateArn", "arn:aws:acm:x")).corsOrigin())
            .isEqualTo("https://music.example.org");
        assertThat(settings(Map.of("siteOrigin", "https://player.example.org:8443")).corsOrigin())
            .isEqualTo("https://player.example.org:8443");
        for (String bad : List.of("player.example.org", "https://player.example.org/", "https://x.org/path", "*",
            "ftp://x.org", "https://x.org:8443:1")) {
            assertThatThrownBy(() -> settings(Map.of("siteOrigin", bad))).as(bad).hasMessageStartingWith("context siteOrigin:");
        }
    }

    @Test
    void refusesAMissingImage() {
        assertThatThrownBy(() -> DeploySettings.from(k -> null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("context image:");
    }

    @Test
    void refusesADomainWithoutCertificate() {
        assertThatThrownBy(() -> settings(Map.of("domainName", "music.example.org")))
            .hasMessageStartingWith("context certificateArn:");
    }

    @Test
    void refusesMemoryFargateCannotPairWithTheCpu() {
        assertThatThrownBy(() -> settings(Map.of("apiCpu", "256", "apiMemoryMiB", "4096")))
            .hasMessageStartingWith("context apiMemoryMiB:");
        assertThatThrownBy(() -> settings(Map.of("workerCpu", "300")))
            .hasMessageStartingWith("context workerCpu:");
    }

    @Test
    void refusesAGraceThatFargateWouldCutShort() {
        assertThatThrownBy(() -> settings(Map.of("shutdownGraceSeconds", "110")))
            .hasMessageStartingWith("context shutdownGraceSeconds:");
    }

    @Test
    void refusesInvertedScalingBoundsAndNonNumbers() {
        assertThatThrownBy(() -> settings(Map.of("apiMin", "5", "apiMax", "2"))).hasMessageStartingWith("context apiMax:");
        assertThatThrownBy(() -> settings(Map.of("indexerMin", "0"))).hasMessageStartingWith("context indexerMax:");
        assertThatThrownBy(() -> settings(Map.of("apiMax", "many"))).hasMessageStartingWith("context apiMax: not a whole number");
    }

    @Test
    void refusesABudgetAboveDiscogsLimitAndUnknownRetentions() {
        assertThatThrownBy(() -> settings(Map.of("discogsRate", "61"))).hasMessageStartingWith("context discogsRate:");
        assertThatThrownBy(() -> settings(Map.of("logRetentionDays", "31"))).hasMessageStartingWith("context logRetentionDays:");
        assertThatThrownBy(() -> settings(Map.of("cacheTtl", "a week"))).hasMessageStartingWith("context cacheTtl:");
        assertThatThrownBy(() -> settings(Map.of("existingBucketName", "My_Music"))).hasMessageStartingWith("context existingBucketName:");
    }
}
