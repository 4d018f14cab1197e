package com.acme.subscription.console;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;

/**
 * A small but real OpenID Connect provider for tests: discovery, a login page, the authorization code flow
 * (with optional PKCE), refresh tokens, JWKS, userinfo and end-session, on 127.0.0.1 in the test JVM.
 * quarkus-oidc (web-app, discovery on) talks to it like to Keycloak; the paths even look like Keycloak's.
 * <p>
 * Plain tests call {@link #startServer()} / {@link #stopServer()}; a {@code @QuarkusTest} uses
 * {@code @QuarkusTestResource(value = LocalOidcProvider.class, restrictToAnnotatedClass = true)}. The
 * lifecycle methods {@code start()} / {@code stop()} are the instance ones of the interface, so the static
 * pair has other names.
 */
public class LocalOidcProvider implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "console";
    public static final String CLIENT_SECRET = "console-test-secret";
    public static final String REALM_PATH = "/realms/test";
    /** A page on the provider that prints its query: a redirect_uri for tests without an application. */
    public static final String CALLBACK_ECHO_PATH = "/callback-echo";

    public record User(String username, String password, String sub, String email, String name, List<String> groups) {
    }

    public static final User ALICE = new User("alice", "alice-password", "3f1c2a9e-alice", "alice@example.com",
            "Alice Admin", List.of("admin"));
    public static final User BOB = new User("bob", "bob-password", "7d4b8c21-bob", "bob@example.com",
            "Bob Support", List.of("support"));
    private static final Map<String, User> USERS = Map.of(ALICE.username(), ALICE, BOB.username(), BOB);

    /** What a code stands for until the token endpoint redeems it, once. */
    private record Grant(User user, String redirectUri, String nonce, String scope, String codeChallenge,
            Instant expiresAt) {
    }

    private record Session(User user, String scope) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer server;
    private static ExecutorService executor;
    private static KeyPair keys;
    private static String kid;
    private static final Map<String, Grant> CODES = new ConcurrentHashMap<>();
    private static final Map<String, Session> REFRESH_TOKENS = new ConcurrentHashMap<>();
    private static final Map<String, Session> ACCESS_TOKENS = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        return startServer();
    }

    @Override
    public void stop() {
        stopServer();
    }

    /** Starts the provider on a free port (a fresh key pair each time) and returns the quarkus-oidc config. */
    public static synchronized Map<String, String> startServer() {
        if (server == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                keys = generator.generateKeyPair();
                kid = "test-" + UUID.randomUUID();
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                // more than one thread: the browser and quarkus-oidc may call while another request is open
                executor = Executors.newFixedThreadPool(4);
                server.setExecutor(executor);
                server.createContext(REALM_PATH, LocalOidcProvider::handle);
                server.start();
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("The test OIDC provider did not start", e);
            }
        }
        return Map.of("quarkus.oidc.auth-server-url", issuer(),
                "quarkus.oidc.client-id", CLIENT_ID,
                "quarkus.oidc.credentials.secret", CLIENT_SECRET);
    }

    public static synchronized void stopServer() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            CODES.clear();
            REFRESH_TOKENS.clear();
            ACCESS_TOKENS.clear();
        }
    }

    /** The issuer, which is also quarkus.oidc.auth-server-url: http://127.0.0.1:port/realms/test */
    public static String issuer() {
        if (server == null) {
            throw new IllegalStateException("LocalOidcProvider is not started");
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + REALM_PATH;
    }

    public static String authorizationEndpoint() {
        return issuer() + "/protocol/openid-connect/auth";
    }

    public static String callbackEchoUrl() {
        return issuer() + CALLBACK_ECHO_PATH;
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath().substring(REALM_PATH.length());
            String method = exchange.getRequestMethod();
            Map<String, String> params = params(exchange);
            switch (path) {
                case "/.well-known/openid-configuration" -> json(exchange, 200, discovery());
                case "/protocol/openid-connect/auth" -> authorize(exchange, method, params);
                case "/protocol/openid-connect/token" -> token(exchange, method, params);
                case "/protocol/openid-connect/certs" -> json(exchange, 200, Map.of("keys", List.of(jwk())));
                case "/protocol/openid-connect/userinfo" -> userinfo(exchange);
                case "/protocol/openid-connect/logout" -> logout(exchange, params);
                case CALLBACK_ECHO_PATH -> html(exchange, 200, "<h1>Callback</h1><pre id=\"query\">"
                        + escape(exchange.getRequestURI().getRawQuery()) + "</pre>");
                default -> html(exchange, 404, "<h1>Not found</h1>");
            }
        } catch (RuntimeException e) {
            // an exception in a handler would only close the connection; an answer is easier to debug
            html(exchange, 500, "<pre>" + escape(e.toString()) + "</pre>");
        } finally {
            exchange.close();
        }
    }

    private static Map<String, Object> discovery() {
        String base = issuer() + "/protocol/openid-connect";
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer());
        doc.put("authorization_endpoint", base + "/auth");
        doc.put("token_endpoint", base + "/token");
        doc.put("jwks_uri", base + "/certs");
        doc.put("userinfo_endpoint", base + "/userinfo");
        doc.put("end_session_endpoint", base + "/logout");
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("scopes_supported", List.of("openid", "profile", "email"));
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        return doc;
    }

    private static void authorize(HttpExchange exchange, String method, Map<String, String> p) throws IOException {
        String redirectUri = p.getOrDefault("redirect_uri", "");
        // never redirect anywhere for a request that is not ours: answer it here
        if (!CLIENT_ID.equals(p.get("client_id")) || !"code".equals(p.get("response_type"))
                || !redirectUri.matches("https?://.+")) {
            html(exchange, 400, "<h1>Invalid authorization request</h1>");
            return;
        }
        if (method.equals("GET")) {
            html(exchange, 200, loginPage(p, null));
            return;
        }
        User user = USERS.get(p.getOrDefault("username", ""));
        if (user == null || !user.password().equals(p.get("password"))) {
            html(exchange, 200, loginPage(p, "Invalid username or password."));
            return;
        }
        String code = UUID.randomUUID().toString();
        CODES.put(code, new Grant(user, redirectUri, p.get("nonce"), p.getOrDefault("scope", "openid"),
                p.get("code_challenge"), Instant.now().plusSeconds(120)));
        String query = "code=" + encode(code) + (p.containsKey("state") ? "&state=" + encode(p.get("state")) : "");
        exchange.getResponseHeaders().set("Location", redirectUri + (redirectUri.contains("?") ? "&" : "?") + query);
        exchange.sendResponseHeaders(302, -1);
    }

    private static String loginPage(Map<String, String> p, String error) {
        StringBuilder hidden = new StringBuilder();
        for (String name : List.of("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                "code_challenge", "code_challenge_method")) {
            if (p.containsKey(name)) {
                hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                        .append(escape(p.get(name))).append("\">\n");
            }
        }
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title>\n"
                // one field a line, so a screenshot reads like a login page
                + "<style>body{font-family:sans-serif;margin:2rem}label,input,button{display:block;margin:.3rem 0}</style></head><body>\n"
                + "<h1>Sign in to Test Identity Provider</h1>\n"
                + (error == null ? "" : "<p role=\"alert\" id=\"error\">" + escape(error) + "</p>\n")
                + "<form method=\"post\" action=\"" + escape(authorizationEndpoint()) + "\">\n" + hidden
                + "<label for=\"username\">Username</label><input id=\"username\" name=\"username\" value=\""
                + escape(p.getOrDefault("username", "")) + "\">\n"
                + "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\">\n"
                + "<button type=\"submit\" id=\"sign-in\">Sign in</button>\n</form></body></html>";
    }

    private static void token(HttpExchange exchange, String method, Map<String, String> p) throws IOException {
        if (!method.equals("POST") || !clientAuthenticated(exchange, p)) {
            json(exchange, 401, Map.of("error", "invalid_client"));
            return;
        }
        Session session;
        String nonce = null;
        if ("authorization_code".equals(p.get("grant_type"))) {
            Grant grant = CODES.remove(p.getOrDefault("code", "")); // remove: a code is good for one exchange
            if (grant == null || grant.expiresAt().isBefore(Instant.now())
                    || !grant.redirectUri().equals(p.get("redirect_uri")) || !pkceMatches(grant, p)) {
                json(exchange, 400, Map.of("error", "invalid_grant"));
                return;
            }
            session = new Session(grant.user(), grant.scope());
            nonce = grant.nonce();
        } else if ("refresh_token".equals(p.get("grant_type"))) {
            // not single use (Keycloak's default too): a page's parallel requests may all refresh with one token
            session = REFRESH_TOKENS.get(p.getOrDefault("refresh_token", ""));
            if (session == null) {
                json(exchange, 400, Map.of("error", "invalid_grant"));
                return;
            }
        } else {
            json(exchange, 400, Map.of("error", "unsupported_grant_type"));
            return;
        }
        String accessToken = accessToken(session);
        String refreshToken = UUID.randomUUID().toString();
        ACCESS_TOKENS.put(accessToken, session);
        REFRESH_TOKENS.put(refreshToken, session);
        json(exchange, 200, Map.of("access_token", accessToken, "id_token", idToken(session.user(), nonce),
                "refresh_token", refreshToken, "token_type", "Bearer", "expires_in", 3600, "scope", session.scope()));
    }

    /** client_secret_basic (form-urlencoded id and secret, RFC 6749 2.3.1) or client_secret_post. */
    private static boolean clientAuthenticated(HttpExchange exchange, Map<String, String> p) {
        String id = p.get("client_id");
        String secret = p.get("client_secret");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8).split(":", 2);
            id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = pair.length == 2 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        }
        return CLIENT_ID.equals(id) && CLIENT_SECRET.equals(secret);
    }

    /** quarkus-oidc sends a code_challenge only with quarkus.oidc.authentication.pkce-required=true. */
    private static boolean pkceMatches(Grant grant, Map<String, String> p) {
        if (grant.codeChallenge() == null) {
            return true;
        }
        String verifier = p.getOrDefault("code_verifier", "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).equals(grant.codeChallenge());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String idToken(User user, String nonce) {
        long now = Instant.now().getEpochSecond();
        var claims = Jwt.issuer(issuer()).audience(CLIENT_ID).subject(user.sub())
                .claim("email", user.email()).claim("name", user.name())
                .preferredUserName(user.username()).groups(Set.copyOf(user.groups()))
                .issuedAt(now).expiresAt(now + 3600).claim("auth_time", now).claim("azp", CLIENT_ID);
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        return claims.jws().keyId(kid).sign(keys.getPrivate());
    }

    private static String accessToken(Session session) {
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer(issuer()).audience(CLIENT_ID).subject(session.user().sub())
                .groups(Set.copyOf(session.user().groups())).claim("scope", session.scope())
                .issuedAt(now).expiresAt(now + 3600).jws().keyId(kid).sign(keys.getPrivate());
    }

    private static Map<String, Object> jwk() {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return Map.of("kty", "RSA", "kid", kid, "use", "sig", "alg", "RS256",
                "n", base64Url(key.getModulus()), "e", base64Url(key.getPublicExponent()));
    }

    /** JWK numbers are unsigned big-endian: BigInteger's sign byte must go. */
    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void userinfo(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Session session = authorization != null && authorization.startsWith("Bearer ")
                ? ACCESS_TOKENS.get(authorization.substring(7).trim())
                : null;
        if (session == null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            json(exchange, 401, Map.of("error", "invalid_token"));
            return;
        }
        User user = session.user();
        json(exchange, 200, Map.of("sub", user.sub(), "email", user.email(), "name", user.name(),
                "preferred_username", user.username(), "groups", user.groups()));
    }

    private static void logout(HttpExchange exchange, Map<String, String> p) throws IOException {
        String target = p.get("post_logout_redirect_uri");
        if (target == null) {
            html(exchange, 200, "<h1>Signed out</h1>");
            return;
        }
        String state = p.get("state");
        exchange.getResponseHeaders().set("Location",
                state == null ? target : target + (target.contains("?") ? "&" : "?") + "state=" + encode(state));
        exchange.sendResponseHeaders(302, -1);
    }

    /** Query parameters, and for a form POST the body's parameters on top. */
    private static Map<String, String> params(HttpExchange exchange) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        parseInto(params, exchange.getRequestURI().getRawQuery());
        if ("POST".equals(exchange.getRequestMethod())) {
            parseInto(params, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static void parseInto(Map<String, String> params, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void html(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** The authorization request a browser test starts with (the application normally builds it). */
    public static URI authorizationRequest(String redirectUri, String state, String nonce) {
        return URI.create(authorizationEndpoint() + "?response_type=code&client_id=" + encode(CLIENT_ID)
                + "&scope=" + encode("openid profile email") + "&redirect_uri=" + encode(redirectUri)
                + "&state=" + encode(state) + "&nonce=" + encode(nonce));
    }
}
