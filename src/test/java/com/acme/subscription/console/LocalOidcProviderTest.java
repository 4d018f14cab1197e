package com.acme.subscription.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The test OIDC provider speaks the authorization code flow correctly, checked over plain HTTP. */
class LocalOidcProviderTest {

    private static final String REDIRECT_URI = "http://localhost:8081/console?tab=home";
    private static final ObjectMapper JSON = new ObjectMapper();
    // redirects are what is being tested, so none is followed
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        Map<String, String> config = LocalOidcProvider.startServer();
        assertEquals(LocalOidcProvider.issuer(), config.get("quarkus.oidc.auth-server-url"));
        assertEquals("console", config.get("quarkus.oidc.client-id"));
        assertEquals(LocalOidcProvider.CLIENT_SECRET, config.get("quarkus.oidc.credentials.secret"));
    }

    @AfterAll
    static void stop() {
        LocalOidcProvider.stopServer();
    }

    @Test
    void discoveryNamesTheEndpoints() throws Exception {
        JsonNode doc = getJson(LocalOidcProvider.issuer() + "/.well-known/openid-configuration");
        String issuer = LocalOidcProvider.issuer();
        assertTrue(issuer.matches("http://127\\.0\\.0\\.1:\\d+/realms/test"), issuer);
        assertEquals(issuer, doc.get("issuer").asText());
        for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint",
                "end_session_endpoint")) {
            assertTrue(doc.get(endpoint).asText().startsWith(issuer + "/"), endpoint);
        }
        assertEquals("[\"code\"]", doc.get("response_types_supported").toString());
        assertEquals("[\"RS256\"]", doc.get("id_token_signing_alg_values_supported").toString());
        assertEquals("[\"client_secret_basic\",\"client_secret_post\"]",
                doc.get("token_endpoint_auth_methods_supported").toString());
        assertEquals("[\"authorization_code\",\"refresh_token\"]", doc.get("grant_types_supported").toString());
        assertTrue(doc.get("subject_types_supported").isArray());
        assertTrue(doc.get("scopes_supported").toString().contains("openid"));
    }

    @Test
    void loginPageCarriesTheRequestInItsForm() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(
                LocalOidcProvider.authorizationRequest(REDIRECT_URI, "st<ate>", "n1")).GET().build());
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("<h1>Sign in to Test Identity Provider</h1>"), html);
        assertTrue(html.contains("<label for=\"username\">Username</label><input id=\"username\" name=\"username\""));
        assertTrue(html.contains("<input id=\"password\" name=\"password\" type=\"password\">"));
        assertTrue(html.contains("<button type=\"submit\" id=\"sign-in\">Sign in</button>"));
        assertTrue(html.contains("name=\"state\" value=\"st&lt;ate&gt;\""), "state is carried, escaped");
        assertTrue(html.contains("name=\"redirect_uri\" value=\"http://localhost:8081/console?tab=home\""));
        assertFalse(html.contains("st<ate>"));
    }

    @Test
    void unknownClientGetsNoLoginPage() throws Exception {
        String url = LocalOidcProvider.authorizationEndpoint() + "?response_type=code&client_id=other&redirect_uri="
                + enc(REDIRECT_URI);
        assertEquals(400, send(HttpRequest.newBuilder(URI.create(url)).GET().build()).statusCode());
    }

    @Test
    void wrongPasswordShowsTheFormAgain() throws Exception {
        HttpResponse<String> page = signIn("alice", "not-her-password", "s1", "n1");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Invalid username or password."));
        assertTrue(page.body().contains("id=\"sign-in\""));
    }

    @Test
    void codeFlowIssuesVerifiableTokensOnce() throws Exception {
        String code = codeFor(LocalOidcProvider.BOB, "state-42", "nonce-42");

        HttpResponse<String> tokenResponse = exchange(code, basic(LocalOidcProvider.CLIENT_SECRET));
        assertEquals(200, tokenResponse.statusCode(), tokenResponse.body());
        JsonNode tokens = JSON.readTree(tokenResponse.body());
        assertEquals("Bearer", tokens.get("token_type").asText());
        assertEquals(3600, tokens.get("expires_in").asInt());
        assertNotNull(tokens.get("refresh_token"));

        JwtClaims id = verify(tokens.get("id_token").asText());
        assertEquals(LocalOidcProvider.issuer(), id.getIssuer());
        assertEquals(List.of("console"), id.getAudience());
        assertEquals("7d4b8c21-bob", id.getSubject());
        assertEquals("nonce-42", id.getStringClaimValue("nonce"));
        assertEquals(List.of("support"), id.getStringListClaimValue("groups"));
        assertEquals("bob@example.com", id.getStringClaimValue("email"));
        assertEquals("Bob Support", id.getStringClaimValue("name"));
        assertEquals("bob", id.getStringClaimValue("preferred_username"));
        assertEquals(3600, id.getExpirationTime().getValue() - id.getIssuedAt().getValue());

        JwtClaims access = verify(tokens.get("access_token").asText());
        assertEquals(List.of("support"), access.getStringListClaimValue("groups"));

        HttpResponse<String> userinfo = send(HttpRequest.newBuilder(URI.create(LocalOidcProvider.issuer()
                + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + tokens.get("access_token").asText()).GET().build());
        assertEquals(200, userinfo.statusCode());
        assertEquals("bob@example.com", JSON.readTree(userinfo.body()).get("email").asText());

        HttpResponse<String> reused = exchange(code, basic(LocalOidcProvider.CLIENT_SECRET));
        assertEquals(400, reused.statusCode());
        assertEquals("invalid_grant", JSON.readTree(reused.body()).get("error").asText());

        HttpResponse<String> refreshed = tokenRequest(Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText(),
                "client_id", LocalOidcProvider.CLIENT_ID, "client_secret", LocalOidcProvider.CLIENT_SECRET), null);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        assertEquals("7d4b8c21-bob", verify(JSON.readTree(refreshed.body()).get("id_token").asText()).getSubject());
    }

    @Test
    void wrongSecretIsAnInvalidClient() throws Exception {
        String code = codeFor(LocalOidcProvider.ALICE, "s", "n");
        HttpResponse<String> response = exchange(code, basic("not-the-secret"));
        assertEquals(401, response.statusCode());
        assertEquals("invalid_client", JSON.readTree(response.body()).get("error").asText());
    }

    @Test
    void codeIsBoundToItsRedirectUri() throws Exception {
        String code = codeFor(LocalOidcProvider.ALICE, "s", "n");
        HttpResponse<String> response = tokenRequest(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", "http://localhost:8081/elsewhere"), basic(LocalOidcProvider.CLIENT_SECRET));
        assertEquals(400, response.statusCode());
    }

    @Test
    void endSessionReturnsToTheApplication() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(LocalOidcProvider.issuer()
                + "/protocol/openid-connect/logout?post_logout_redirect_uri=" + enc("http://localhost:8081/console")))
                .GET().build());
        assertEquals(302, response.statusCode());
        assertEquals("http://localhost:8081/console", response.headers().firstValue("Location").orElseThrow());
    }

    /** Signs the user in and returns the code from the redirect, after checking the redirect itself. */
    private static String codeFor(LocalOidcProvider.User user, String state, String nonce) throws Exception {
        HttpResponse<String> response = signIn(user.username(), user.password(), state, nonce);
        assertEquals(302, response.statusCode(), response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        // the redirect_uri has a query already, so code and state follow with &
        assertTrue(location.startsWith(REDIRECT_URI + "&code="), location);
        Map<String, String> query = query(URI.create(location));
        assertEquals("home", query.get("tab"));
        assertEquals(state, query.get("state"));
        return query.get("code");
    }

    private static HttpResponse<String> signIn(String username, String password, String state, String nonce)
            throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("response_type", "code");
        form.put("client_id", LocalOidcProvider.CLIENT_ID);
        form.put("redirect_uri", REDIRECT_URI);
        form.put("scope", "openid");
        form.put("state", state);
        form.put("nonce", nonce);
        form.put("username", username);
        form.put("password", password);
        return send(HttpRequest.newBuilder(URI.create(LocalOidcProvider.authorizationEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
    }

    private static HttpResponse<String> exchange(String code, String authorization) throws Exception {
        return tokenRequest(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT_URI),
                authorization);
    }

    private static HttpResponse<String> tokenRequest(Map<String, String> form, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(LocalOidcProvider.issuer()
                + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    /** Checks the signature against the provider's published JWKS, and the issuer and audience. */
    private static JwtClaims verify(String jwt) throws Exception {
        String jwks = send(HttpRequest.newBuilder(URI.create(LocalOidcProvider.issuer()
                + "/protocol/openid-connect/certs")).GET().build()).body();
        JsonWebKeySet keySet = new JsonWebKeySet(jwks);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(jwt);
        assertEquals("RS256", jws.getAlgorithmHeaderValue());
        var key = new VerificationJwkSelector().select(jws, keySet.getJsonWebKeys());
        assertNotNull(key, "the token's kid names a key of the JWKS");
        return new JwtConsumerBuilder()
                .setVerificationKey(key.getKey())
                .setExpectedIssuer(LocalOidcProvider.issuer())
                .setExpectedAudience(LocalOidcProvider.CLIENT_ID)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .build()
                .processToClaims(jwt);
    }

    private static String basic(String secret) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (LocalOidcProvider.CLIENT_ID + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET().build());
        assertEquals(200, response.statusCode());
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
