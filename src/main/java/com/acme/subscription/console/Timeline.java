package com.acme.subscription.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.grant.GrantView;

/**
 * A profile's grants on one time axis: what ran, what a Wellpass grant paused (and until when), the
 * time a paused grant still has after it resumes, and what ended or was revoked. Every segment also
 * carries its meaning in words, for screen readers and for the table under the bars.
 */
public record Timeline(String from, String to, double nowAt, List<Lane> lanes) {

    public record Lane(GrantView grant, String state, String summary, List<Segment> segments) {

        /** The grant in words that tell it from another of its tier: who gave it and its dates (the Revoke button). */
        public String name() {
            return "the " + grant.tierId() + " grant by " + grant.grantedBy() + ", " + Format.when(grant.validFrom())
                    + " to " + Format.when(grant.validUntil());
        }
    }

    public record Segment(String kind, double left, double width, String label) {
    }

    static Timeline of(List<GrantView> grants, Instant now) {
        if (grants.isEmpty()) {
            return new Timeline(null, null, 0, List.of());
        }
        Map<String, GrantView> byId = grants.stream().collect(Collectors.toMap(GrantView::id, Function.identity()));
        Instant start = grants.stream().map(GrantView::validFrom).min(Comparator.naturalOrder()).orElse(now);
        Instant end = now.plus(Duration.ofDays(1));
        for (GrantView grant : grants) {
            end = max(end, grant.validUntil());
            end = max(end, Timestamps.atMostLast(resumesAt(grant, byId, now).plusSeconds(remaining(grant))));
        }
        Axis axis = new Axis(start.isBefore(now) ? start : now.minus(Duration.ofDays(1)), end);
        List<Lane> lanes = grants.stream()
                .sorted(Comparator.comparing(GrantView::validFrom).thenComparing(GrantView::created))
                .map(grant -> lane(grant, byId, now, axis)).toList();
        return new Timeline(Format.when(axis.start), Format.when(axis.end), axis.at(now), lanes);
    }

    private static Lane lane(GrantView grant, Map<String, GrantView> byId, Instant now, Axis axis) {
        List<Segment> segments = new ArrayList<>();
        String tier = grant.tierId();
        if (grant.revokedAt() != null) {
            segments.add(axis.segment("revoked", grant.validFrom(), grant.revokedAt(), tier + " (revoked)"));
            return new Lane(grant, "revoked", tier + ": revoked " + Format.when(grant.revokedAt()) + ".", segments);
        }
        if (grant.pausedAt() != null) {
            Instant resumes = resumesAt(grant, byId, now);
            Instant after = Timestamps.atMostLast(resumes.plusSeconds(remaining(grant)));
            segments.add(axis.segment("active", grant.validFrom(), grant.pausedAt(), tier));
            segments.add(axis.segment("paused", grant.pausedAt(), resumes, "paused"));
            segments.add(axis.segment("planned", resumes, after, tier + " resumes"));
            GrantView pausing = byId.get(grant.pausedBy());
            String by = pausing == null ? "a Wellpass grant" : "the Wellpass grant of " + pausing.tierId();
            return new Lane(grant, "paused", tier + ": paused by " + by + " since " + Format.when(grant.pausedAt())
                    + "; resumes " + Format.when(resumes) + " with " + Format.days(remaining(grant))
                    + " left, so it runs until about " + Format.when(after) + ".", segments);
        }
        boolean ended = !grant.validUntil().isAfter(now);
        segments.add(axis.segment(ended ? "ended" : "active", grant.validFrom(), grant.validUntil(), tier));
        String state = ended ? "ended" : "active";
        return new Lane(grant, state, tier + ": " + (ended ? "ended " : "runs until ") + Format.when(grant.validUntil())
                + (grant.wellpass() ? " (Wellpass: pauses the other grants while it runs)" : "") + ".", segments);
    }

    /** A paused grant resumes when the Wellpass grant that paused it ends (not before now). */
    private static Instant resumesAt(GrantView grant, Map<String, GrantView> byId, Instant now) {
        GrantView pausing = grant.pausedBy() == null ? null : byId.get(grant.pausedBy());
        Instant end = pausing == null ? now : pausing.revokedAt() != null ? pausing.revokedAt() : pausing.validUntil();
        return max(end, now);
    }

    private static long remaining(GrantView grant) {
        return grant.remainingSeconds() == null ? 0 : grant.remainingSeconds();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Instants as percentages of the axis. */
    private record Axis(Instant start, Instant end) {

        double at(Instant instant) {
            double span = Math.max(1, Duration.between(start, end).toSeconds());
            double at = Duration.between(start, instant).toSeconds() * 100.0 / span;
            return Math.round(Math.max(0, Math.min(100, at)) * 10) / 10.0;
        }

        Segment segment(String kind, Instant from, Instant to, String label) {
            double left = at(from);
            return new Segment(kind, left, Math.max(0.6, at(to) - left), label);
        }
    }
}
