package com.acme.subscription.console;

import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.acme.subscription.jobs.JobName;
import com.acme.subscription.stats.StatsService;
import com.acme.subscription.webhook.WebhookService;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/** The first page: profiles by tier, grants in force and paused, redemptions, job runs, webhook health. */
@ConsoleEndpoint
@Path("/console")
@PermitAll // admitted by ConsoleAccess
public class OverviewPage {

    /** A job's runs as this replica counted them since it started (the jobs' metrics). */
    public record JobFigures(String job, long ok, long failed, long rows) {
    }

    private final StatsService stats;
    private final WebhookService webhooks;
    private final MeterRegistry metrics;
    private final SignedIn signedIn;
    private final Template overview;

    public OverviewPage(StatsService stats, WebhookService webhooks, MeterRegistry metrics, SignedIn signedIn,
            @Location("console/overview.html") Template overview) {
        this.stats = stats;
        this.webhooks = webhooks;
        this.metrics = metrics;
        this.signedIn = signedIn;
        this.overview = overview;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> show() {
        return stats.all().flatMap(figures -> webhooks.health().map(health -> overview
                .data("shell", signedIn.shell("overview", null, null))
                .data("stats", figures)
                .data("jobs", jobs())
                .data("webhooks", health)));
    }

    private List<JobFigures> jobs() {
        return Arrays.stream(JobName.values()).map(job -> new JobFigures(job.id(),
                count("jobs.runs", job, "ok"), count("jobs.runs", job, "failed"), count("jobs.rows", job, null))).toList();
    }

    private long count(String name, JobName job, String result) {
        var search = metrics.find(name).tag("job", job.id());
        Counter counter = (result == null ? search : search.tag("result", result)).counter();
        return counter == null ? 0 : (long) counter.count();
    }
}
