package dev.s3music.accounts;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Role;
import dev.s3music.model.auth.ShareService.CreatedShare;
import dev.s3music.model.auth.UserChange;
import dev.s3music.model.memory.InMemoryDocumentStore;
import dev.s3music.model.memory.InMemoryLoginThrottle;
import dev.s3music.model.memory.InMemorySessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Every security event gives one audit line, and no line ever holds a password, token or setup code. */
class AuditTest extends AccountServiceTestBase {

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger audit = (Logger) LoggerFactory.getLogger("dev.s3music.audit");

    @BeforeEach
    void capture() {
        lines.start();
        audit.addAppender(lines);
    }

    @AfterEach
    void release() {
        audit.detachAppender(lines);
    }

    @Test
    void logsSignInsUserChangesSharesAndRevocationsWithoutSecrets() {
        AccountsConfig config = AccountsConfig.defaults().withHashing(2, 16);
        InMemoryDocumentStore docs = new InMemoryDocumentStore();
        StoredAccountService s = service(docs, new InMemorySessionStore(), new InMemoryLoginThrottle(config.throttle()),
            config, Clock.systemUTC());
        String code = await(s.bootstrap(Optional.empty(), Optional.empty())).orElseThrow();
        String adminToken = await(s.setup(code, "teacher", PASSWORD)).token();
        Principal admin = await(s.authenticate(adminToken));
        await(s.create(admin, "ann", "ann-secret-password", Role.LISTENER));
        failure(s.login("ann", "ann-wrong-password", "192.0.2.1"));
        String annToken = await(s.login("ann", "ann-secret-password", "192.0.2.1")).token();
        await(s.update(admin, "ann", new UserChange("ann-new-password!", null, null)));
        CreatedShare share = await(new DocumentShareService(docs, config).create(admin, "song-1", null, Duration.ofDays(1)));
        await(s.logout(adminToken));

        List<String> text = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(text).anyMatch(l -> l.startsWith("event=setup outcome=success user=\"teacher\""));
        assertThat(text).anyMatch(l -> l.equals("event=signin outcome=failure user=\"ann\" client=\"192.0.2.1\" reason=wrong_password"));
        assertThat(text).anyMatch(l -> l.equals("event=signin outcome=success user=\"ann\" client=\"192.0.2.1\" reason=password"));
        assertThat(text).anyMatch(l -> l.startsWith("event=user_change by=\"teacher\" user=\"ann\" change=updated password"));
        assertThat(text).anyMatch(l -> l.startsWith("event=sessions_revoked user=\"ann\" sessions=1"));
        assertThat(text).anyMatch(l -> l.startsWith("event=share_created by=\"teacher\""));
        assertThat(text).anyMatch(l -> l.startsWith("event=sessions_revoked user=\"teacher\" sessions=1 reason=logout"));
        for (String secret : List.of(PASSWORD, "ann-secret-password", "ann-wrong-password", "ann-new-password!", code,
            adminToken, annToken, share.token())) {
            assertThat(text).noneMatch(l -> l.contains(secret));
        }
    }
}
