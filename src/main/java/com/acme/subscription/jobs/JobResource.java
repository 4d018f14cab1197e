package com.acme.subscription.jobs;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.security.Roles;

import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/admin/jobs")
@Tag(name = "jobs")
@RolesAllowed(Roles.ADMIN)
public class JobResource {

    private final JobRunner runner;

    public JobResource(JobRunner runner) {
        this.runner = runner;
    }

    @POST
    @Path("/{name}")
    @Operation(operationId = "runJob", summary = "Run a job now, to completion", description = "Safe to run while the "
            + "schedule (or another replica) runs it too.")
    @APIResponse(responseCode = "200", description = "What the run processed and how long it took")
    @APIResponse(responseCode = "404", description = "job_not_found")
    public Uni<JobResult> run(@Parameter(schema = @Schema(enumeration = { "expire-grants", "resume-grants", "reset-usage",
            "prune" }, type = SchemaType.STRING)) @PathParam("name") String name) {
        JobName job = JobName.of(name).orElseThrow(() -> ApiException.notFound("job_not_found",
                "There is no job '" + name + "' (expire-grants, resume-grants, reset-usage, prune)."));
        return runner.run(job);
    }
}
