package dev.cascade.reviewgateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.Principal;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the API returns has the same shape, {@code {"error": "<clear message>"}}, which the CLI prints. */
public class ApiErrors {

  private static final Logger LOG = Logger.getLogger(ApiErrors.class);

  @ServerExceptionMapper
  public Response refused(ApiException e) {
    return error(e.status(), e.getMessage());
  }

  /** No token, or none that the tokens file knows (RFC 6750 §3: the challenge names the scheme). */
  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthenticated(RuntimeException e) {
    return Response.fromResponse(error(401, "a valid API token is needed: give it with --token, $CASCADE_TOKEN or "
        + "a token file (docs/operations.md, \"Authentication and roles\")"))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
  }

  /** A person whose roles do not admit the request: says who, so a shared terminal's wrong token shows. */
  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, ContainerRequestContext request) {
    Principal caller = request.getSecurityContext().getUserPrincipal();
    String who = caller == null ? "this token" : caller.getName();
    return error(403, who + " may not do this: the request needs a role the token does not have (roles: "
        + "docs/operations.md, \"Authentication and roles\")");
  }

  @ServerExceptionMapper
  public Response badJson(JsonProcessingException e) {
    return error(400, "request body is not valid JSON: " + e.getOriginalMessage());
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (e.getCause() instanceof JsonProcessingException json) {
      return badJson(json);
    }
    String message = status == 404 ? "No such resource" : status == 400 ? "bad request: " + e.getMessage()
        : e.getMessage();
    return error(status, message);
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.error("Operator API request failed", e);
    return error(500, "internal error: " + e.getMessage());
  }

  /** The API's error answer: {@code {"error": message}} with {@code status}. */
  public static Response error(int status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
  }
}
