package dev.cascade.reviewgateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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

  static Response error(int status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
  }
}
