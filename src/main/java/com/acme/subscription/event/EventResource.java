package com.acme.subscription.event;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.Page;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.security.Roles;
import com.acme.subscription.common.time.Timestamps;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/events")
@Tag(name = "events")
public class EventResource {

    private final EventRepository events;
    private final ObjectMapper json;

    public EventResource(EventRepository events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @WithSession
    @Operation(operationId = "listEvents", summary = "The events kept (event_retention_days), newest first, paginated")
    @APIResponse(responseCode = "200", description = "A page of events")
    public Uni<Page<CloudEvent>> list(@QueryParam("profileId") String profileId,
            // its values: EventTypesInDocument
            @Parameter(description = "Only this type, such as grant.expired", schema = @Schema(type = SchemaType.STRING))
            @QueryParam("type") String type,
            @Parameter(description = "Events at or after", schema = @Schema(type = SchemaType.STRING,
                    format = "date-time")) @QueryParam("since") String since,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50")) @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        Page.Request page = Page.request(limit, cursor);
        return events.page(new EventFilter(profileId, type(type), since(since)), page)
                .map(found -> new Page<>(found.items().stream().map(event -> CloudEvent.of(event, json)).toList(),
                        found.nextCursor()));
    }

    private static String type(String type) {
        if (type != null && Arrays.stream(EventType.values()).noneMatch(known -> known.type().equals(type))) {
            throw ApiException.invalid("type", "must be an event type such as grant.expired");
        }
        return type;
    }

    private static Instant since(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Timestamps.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("since", Timestamps.EXPECTED);
        }
    }
}
