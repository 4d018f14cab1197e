package com.acme.subscription.event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The event types, from {@link EventType}, wherever a client sends one: the types a webhook endpoint
 * subscribes to ({@code WebhookInput}, {@code WebhookPatch}) and the type filter of
 * {@code GET /events}. An event's own {@code type} stays an open string in the answers: a type
 * added in a later release must not break a client generated from this document.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class EventTypesInDocument implements OASFilter {

    static final List<String> SUBSCRIBING_SCHEMAS = List.of("WebhookInput", "WebhookPatch");
    static final String LIST_EVENTS = "/api/v1/events";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents() == null ? null : api.getComponents().getSchemas();
        if (schemas != null) {
            SUBSCRIBING_SCHEMAS.stream().map(schemas::get)
                    .filter(schema -> schema != null && schema.getProperties() != null)
                    .map(schema -> schema.getProperties().get("eventTypes"))
                    .filter(eventTypes -> eventTypes != null && eventTypes.getItems() != null)
                    .forEach(eventTypes -> eventTypes.getItems().setEnumeration(types()));
        }
        if (api.getPaths() != null && api.getPaths().getPathItem(LIST_EVENTS) != null
                && api.getPaths().getPathItem(LIST_EVENTS).getGET() != null
                && api.getPaths().getPathItem(LIST_EVENTS).getGET().getParameters() != null) {
            api.getPaths().getPathItem(LIST_EVENTS).getGET().getParameters().stream()
                    .filter(parameter -> "type".equals(parameter.getName()) && parameter.getSchema() != null)
                    .forEach(parameter -> parameter.getSchema().setEnumeration(types()));
        }
    }

    private static List<Object> types() {
        return new ArrayList<>(Arrays.stream(EventType.values()).map(EventType::type).toList());
    }
}
