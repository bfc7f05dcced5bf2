package dev.s3music.api;

import dev.s3music.model.DomainException;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class ApiErrorsTest {

    @Test
    void aConditionalWriteThatLostIsAConflict(Vertx vertx, VertxTestContext tc) {
        Router router = Router.router(vertx);
        router.get("/doc").handler(rc -> rc.fail(DomainException.conflict("users/ana.json exists already")));
        router.route().failureHandler(rc -> ApiErrors.JSON.render(rc, ErrorStatus.of(rc)));
        vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
            .compose(server -> WebClient.create(vertx).get(server.actualPort(), "127.0.0.1", "/doc").send()
                .eventually(() -> server.close()))
            .onComplete(tc.succeeding(r -> tc.verify(() -> {
                assertThat(r.statusCode()).isEqualTo(409);
                assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("conflict");
                assertThat(r.bodyAsJsonObject().getString("message")).isEqualTo("users/ana.json exists already");
                tc.completeNow();
            })));
    }
}
