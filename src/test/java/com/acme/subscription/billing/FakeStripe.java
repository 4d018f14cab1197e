package com.acme.subscription.billing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.restassured.path.json.JsonPath;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Stripe's API on this machine: it records what stripe-java sends (method, path, headers, the
 * decoded form fields) and answers the minimal JSON Stripe would, or the failure a test asks for.
 * <p>
 * Its port is chosen once per JVM and kept in a system property, so that the test profile (which
 * points the service at it) and the tests (which start it and read what it got) agree on it,
 * whatever class loader each runs in.
 */
final class FakeStripe {

    private static final String PORT_PROPERTY = "test.fake-stripe.port";

    /** One request as Stripe got it: header names in lower case, form fields decoded. */
    record Request(String method, String path, Map<String, String> headers, Map<String, String> form, int status,
            String answer) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** A field of the JSON it was answered, e.g. the id of the customer created. */
        String answered(String field) {
            return JsonPath.from(answer).getString(field);
        }
    }

    private static final List<Request> REQUESTS = new CopyOnWriteArrayList<>();
    private static final Map<String, Integer> FAILURES = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static volatile CyclicBarrier customerBarrier;
    private static HttpServer server;

    private FakeStripe() {
    }

    /** The service pointed at the fake Stripe API. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stripe.api-base", "http://127.0.0.1:" + port());
        }
    }

    /** The secret key of the tests' Stripe account (PostgresResource configures it), which the service sends. */
    static final String API_KEY = "sk_test_local";

    static int port() {
        synchronized (System.class) {
            String port = System.getProperty(PORT_PROPERTY);
            if (port == null) {
                try (ServerSocket probe = new ServerSocket(0)) {
                    port = String.valueOf(probe.getLocalPort());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                System.setProperty(PORT_PROPERTY, port);
            }
            return Integer.parseInt(port);
        }
    }

    /** Listens (again) on its port; forgets what it got and every failure asked for. */
    static synchronized void start() throws IOException {
        REQUESTS.clear();
        FAILURES.clear();
        customerBarrier = null;
        if (server != null) {
            return;
        }
        HttpServer listening = HttpServer.create(new InetSocketAddress("127.0.0.1", port()), 50);
        listening.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-stripe");
            thread.setDaemon(true);
            return thread;
        }));
        listening.createContext("/", FakeStripe::handle);
        listening.start();
        server = listening;
    }

    /** Stops listening: connections are refused until {@link #start()}. */
    static synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Requests to {@code path} answer {@code status} with a Stripe error from now on. */
    static void fail(String path, int status) {
        FAILURES.put(path, status);
    }

    /** Holds each customer creation until {@code parties} of them have arrived (at most 10 s). */
    static void holdCustomerCreations(int parties) {
        customerBarrier = new CyclicBarrier(parties);
    }

    static List<Request> requests() {
        return List.copyOf(REQUESTS);
    }

    static List<Request> requests(String path) {
        return REQUESTS.stream().filter(r -> r.path().equals(path)).toList();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    String.join(",", values)));
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Integer failure = FAILURES.get(path);
            int status;
            String answer;
            if (failure != null) {
                status = failure;
                answer = "{\"error\": {\"type\": \"" + (failure >= 500 ? "api_error" : "invalid_request_error")
                        + "\", \"code\": \"resource_missing\", \"message\": \"The fake was told to fail\"}}";
            } else {
                int n = IDS.incrementAndGet();
                status = 200;
                answer = switch (method + " " + path) {
                    case "POST /v1/customers" -> "{\"id\": \"cus_fake" + n + "\", \"object\": \"customer\"}";
                    case "POST /v1/checkout/sessions" -> "{\"id\": \"cs_test_" + n + "\", \"object\": "
                            + "\"checkout.session\", \"mode\": \"subscription\", "
                            + "\"url\": \"https://checkout.stripe.com/c/pay/cs_test_" + n + "\"}";
                    case "POST /v1/billing_portal/sessions" -> "{\"id\": \"bps_" + n + "\", \"object\": "
                            + "\"billing_portal.session\", \"url\": \"https://billing.stripe.com/p/session/bps_" + n
                            + "\"}";
                    default -> null;
                };
                if (answer == null) {
                    status = 404;
                    answer = "{\"error\": {\"type\": \"invalid_request_error\", \"message\": "
                            + "\"Unrecognized request URL\"}}";
                }
            }
            REQUESTS.add(new Request(method, path, headers, form(body), status, answer));
            if (failure == null && path.equals("/v1/customers")) {
                await(customerBarrier);
            }
            answer(exchange, status, answer);
        }
    }

    private static void await(CyclicBarrier barrier) {
        if (barrier == null) {
            return;
        }
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            // the test asserts what arrived; answering late is enough here
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_fake");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return fields;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(name, value);
        }
        return fields;
    }

    static List<String> paths() {
        List<String> paths = new ArrayList<>();
        REQUESTS.forEach(r -> paths.add(r.method() + " " + r.path()));
        return paths;
    }
}
