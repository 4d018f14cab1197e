package com.acme.subscription.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.restassured.RestAssured;

/** Sends requests really at the same moment: all wait on one latch, then go on up to 64 threads. */
public final class Parallel {

    /** @param idempotencyKey sent as the Idempotency-Key header when not null */
    public record Call(String token, String path, String body, String idempotencyKey) {

        public Call(String token, String path, String body) {
            this(token, path, body, null);
        }
    }

    public record Result(int status, String body) {
    }

    private Parallel() {
    }

    /** POSTs every call concurrently and answers the results in the order of the calls. */
    public static List<Result> post(List<Call> calls) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<CompletableFuture<Result>> futures = new ArrayList<>();
            for (Call call : calls) {
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":"
                        + RestAssured.port + call.path())).timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + call.token()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(call.body()));
                if (call.idempotencyKey() != null) {
                    builder.header("Idempotency-Key", call.idempotencyKey());
                }
                HttpRequest request = builder.build();
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        return new Result(response.statusCode(), response.body());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            start.countDown();
            List<Result> results = new ArrayList<>();
            for (CompletableFuture<Result> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
