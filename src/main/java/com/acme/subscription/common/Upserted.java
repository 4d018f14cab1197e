package com.acme.subscription.common;

import jakarta.ws.rs.core.Response;

/** The outcome of a PUT upsert: 201 when it created the resource, 200 when it updated it. */
public record Upserted<T>(T resource, boolean created) {

    public Response toResponse() {
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK).entity(resource).build();
    }
}
