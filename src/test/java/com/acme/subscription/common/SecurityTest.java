package com.acme.subscription.common;

import static com.acme.subscription.support.ApiTest.anonymous;
import static com.acme.subscription.support.ApiTest.as;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** The role model (docs/security.md) on every catalog endpoint. */
@QuarkusTest
class SecurityTest {

    record Call(String method, String path, Object body) {
        io.restassured.response.Response send(RequestSpecification spec) {
            if (body != null) {
                spec = spec.body(body);
            }
            return spec.request(method, path);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Call> adminWrites() {
        return Stream.of(
                new Call("PUT", "/api/v1/tiers/sec_t1", Map.of("name", "Sec", "sortOrder", 300)),
                new Call("DELETE", "/api/v1/tiers/basic", null),
                new Call("PUT", "/api/v1/features/sec_f1", Map.of("name", "Sec")),
                new Call("DELETE", "/api/v1/features/photos", null),
                new Call("PUT", "/api/v1/tiers/free/limits/photos", Map.of("limit", 1000)),
                new Call("DELETE", "/api/v1/tiers/free/limits/photos", null),
                new Call("GET", "/api/v1/settings", null),
                new Call("PUT", "/api/v1/settings/trial_duration_days", Map.of("value", "1")));
    }

    static Stream<Call> reads() {
        return Stream.of(new Call("GET", "/api/v1/tiers", null), new Call("GET", "/api/v1/tiers/free", null),
                new Call("GET", "/api/v1/features", null), new Call("GET", "/api/v1/features/photos", null),
                new Call("GET", "/api/v1/tier-limits", null));
    }

    static Stream<Arguments> badTokens() {
        return adminWrites().flatMap(call -> Stream.of(
                Arguments.of(call, "expired", TestTokens.expired()),
                Arguments.of(call, "another key", TestTokens.signedByAnotherKey()),
                Arguments.of(call, "another audience", TestTokens.otherAudience()),
                Arguments.of(call, "another issuer", TestTokens.otherIssuer()),
                Arguments.of(call, "garbage", "not.a.jwt")));
    }

    @ParameterizedTest(name = "{0} without a token: 401")
    @MethodSource({ "adminWrites", "reads" })
    void withoutATokenIs401(Call call) {
        call.send(anonymous()).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("unauthorized")).body("status", equalTo(401));
    }

    @ParameterizedTest(name = "{0} with a {1} token: 401")
    @MethodSource("badTokens")
    void anInvalidTokenIs401(Call call, String kind, String token) {
        call.send(as(token)).then().statusCode(401)
                .contentType("application/problem+json").body("code", equalTo("unauthorized"));
    }

    @ParameterizedTest(name = "{0} as user: 403")
    @MethodSource("adminWrites")
    void aUserTokenMayNotAdminister(Call call) {
        call.send(as(TestTokens.user("u-sec"))).then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("forbidden"));
    }

    @ParameterizedTest(name = "{0} as service: 403")
    @MethodSource("adminWrites")
    void aServiceTokenMayNotAdministerTheCatalog(Call call) {
        call.send(as(TestTokens.service())).then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("forbidden"));
    }

    @ParameterizedTest(name = "{0} with any valid token: 200")
    @MethodSource("reads")
    void catalogReadsNeedAnyValidToken(Call call) {
        call.send(as(TestTokens.user("u-sec"))).then().statusCode(200);
        call.send(as(TestTokens.service())).then().statusCode(200);
        call.send(as(TestTokens.admin())).then().statusCode(200);
    }

    static Stream<Call> adminWritesWithBody() {
        return adminWrites().filter(call -> call.body() != null);
    }

    @ParameterizedTest(name = "{0} as user with a malformed body: 403, not 400")
    @MethodSource("adminWritesWithBody")
    void theRoleIsCheckedBeforeTheBody(Call call) {
        new Call(call.method(), call.path(), "{\"broken\": ").send(as(TestTokens.user("u-sec"))).then().statusCode(403);
    }
}
