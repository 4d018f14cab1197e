package com.acme.subscription.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on a free local port: records every request and answers with the next
 * status of its script (then {@code steady}); status 0 means "never answer" (until closed).
 */
final class Receiver implements AutoCloseable {

    record Request(String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private volatile int steady = 204;
    private volatile Runnable onRequest = () -> {
    };
    private final CountDownLatch closing = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final String host;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    Receiver() throws IOException {
        this("127.0.0.1");
    }

    /** A receiver on {@code host}: an IPv4 or IPv6 address of this machine. */
    Receiver(String host) throws IOException {
        this.host = host;
        server = HttpServer.create(new InetSocketAddress(host, 0), 50);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.add(new Request(exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()),
                    new String(body, StandardCharsets.UTF_8)));
            onRequest.run();
            Integer next = script.poll();
            int status = next == null ? steady : next;
            if (status == 0) {
                try {
                    closing.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers these statuses first, in order. */
    Receiver answer(Integer... statuses) {
        script.addAll(List.of(statuses));
        return this;
    }

    /** Runs this when a request has arrived, before it is answered. */
    Receiver onRequest(Runnable action) {
        onRequest = action;
        return this;
    }

    /** Answers this status once the script is used up. */
    Receiver always(int status) {
        steady = status;
        return this;
    }

    String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getAddress().getPort()
                + "/hooks?x=1";
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
