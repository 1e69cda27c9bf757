package dev.cascade.reviewgateway.security;

import dev.cascade.reviewgateway.api.ApiErrors;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * No cross-site request can change anything (issue 13, item 4): a request that is not a read (GET, HEAD, OPTIONS) is
 * refused with 403 when
 * <ul>
 *   <li>a browser says it comes from another site ({@code Sec-Fetch-Site: cross-site} or {@code same-site}, W3C Fetch
 *       Metadata Request Headers §2.4), or its {@code Origin} (RFC 6454 §7) is not this API's own;</li>
 *   <li>it is a request a web page can send to another site without asking first: neither {@code Content-Type:
 *       application/json} nor the {@code X-Cascade-Client} header, which the CLI sends. Either makes it a request
 *       that is not "simple" (Fetch standard, "CORS-safelisted request-header"), which a browser sends to another
 *       origin only after a preflight that this API, having no CORS, never allows.</li>
 * </ul>
 * The bearer token is the main defence (a page cannot read it, and {@code Authorization} is not safelisted either);
 * this guard keeps a change from depending on how the token travels, cookies included.
 */
public class CrossSiteGuard {

  /** The header the CLI sends with every request; its value is the client's name and is not checked. */
  public static final String CLIENT_HEADER = "X-Cascade-Client";

  private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  @ServerRequestFilter
  public Optional<Response> refuseCrossSite(ContainerRequestContext request) {
    if (READS.contains(request.getMethod())) {
      return Optional.empty();
    }
    String site = request.getHeaderString("Sec-Fetch-Site");
    if ("cross-site".equalsIgnoreCase(site) || "same-site".equalsIgnoreCase(site)) {
      return refuse("a request from another site may not change anything (Sec-Fetch-Site: " + site + ")");
    }
    // The API's own origin is the one the request was sent to: its scheme and Host header (RFC 6454 §4).
    String origin = request.getHeaderString("Origin");
    String own = request.getUriInfo().getBaseUri().getScheme() + "://" + request.getHeaderString("Host");
    if (origin != null && !origin.equalsIgnoreCase(own)) {
      return refuse("a request from another origin may not change anything (Origin: " + origin + ", this API: "
          + own + ")");
    }
    MediaType type = request.getMediaType();
    boolean json = type != null && MediaType.APPLICATION_JSON_TYPE.isCompatible(type)
        && !type.isWildcardType() && !type.isWildcardSubtype();
    if (!json && request.getHeaderString(CLIENT_HEADER) == null) {
      return refuse("a change needs Content-Type: application/json or the " + CLIENT_HEADER
          + " header (the cascade CLI sends both), which a web page cannot send to another site");
    }
    return Optional.empty();
  }

  private static Optional<Response> refuse(String why) {
    return Optional.of(ApiErrors.error(403, why));
  }
}
