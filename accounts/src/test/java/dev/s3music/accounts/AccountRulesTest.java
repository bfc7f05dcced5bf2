package dev.s3music.accounts;

import dev.s3music.model.DomainException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountRulesTest {

    @Test
    void namesDifferingInCaseOrCompositionShareOneSafeKey() {
        String composed = AccountRules.username("Zo\u00eb");
        String decomposedUpper = AccountRules.username("ZOE\u0308");
        assertThat(decomposedUpper).isEqualTo("ZO\u00cb");
        assertThat(AccountRules.key(composed)).isEqualTo(AccountRules.key(decomposedUpper)).matches("[A-Za-z0-9_-]+");
        assertThat(AccountDocuments.path("../../etc/passwd")).startsWith("accounts/").doesNotContain("/..").doesNotContain("../");
    }

    @Test
    void usernamesAreOneTo64CharactersAfterNfc() {
        assertThat(AccountRules.username("e\u0301".repeat(64))).hasSize(64);
        assertThatThrownBy(() -> AccountRules.username("x".repeat(65))).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> AccountRules.username("")).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> AccountRules.username(" ann")).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> AccountRules.username("a\nb")).isInstanceOf(DomainException.class);
        assertThat(AccountRules.username("😀".repeat(64))).isNotNull();
    }

    @Test
    void passwordsAre10To256BytesAndNotCommon() {
        AccountRules.checkPassword("violin-lessons-at-nine");
        assertThatThrownBy(() -> AccountRules.checkPassword("short1234")).hasMessageContaining("10 to 256 bytes");
        assertThatThrownBy(() -> AccountRules.checkPassword("é".repeat(129))).hasMessageContaining("bytes");
        AccountRules.checkPassword("é".repeat(128));
        assertThatThrownBy(() -> AccountRules.checkPassword("1234567890")).hasMessageContaining("too common");
        assertThatThrownBy(() -> AccountRules.checkPassword("QwertyUIOP")).as("compared lowercased").hasMessageContaining("too common");
        assertThatThrownBy(() -> AccountRules.checkPassword("password123")).hasMessageContaining("too common");
        assertThatThrownBy(() -> AccountRules.checkPassword(null)).isInstanceOf(DomainException.class);
    }

    @Test
    void auditQuotesWhatAClientChose() {
        assertThat(Audit.q("ann\" event=signin outcome=success\n")).isEqualTo("\"ann\\\" event=signin outcome=success\\u000a\"");
        assertThat(Audit.q(null)).isEqualTo("-");
        assertThat(Audit.q("x".repeat(10_000))).hasSize(Audit.MAX_VALUE + 5);
    }
}
