package dev.cascade.reviewgateway.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Turns a bearer token into the person and roles the tokens file gives it ({@link ApiTokens}). The file is read at
 * start, which fails without it: every request to the operator API needs a token, on loopback too, since anyone on
 * the machine reaches loopback (issue 13, item 4: "Anyone who reaches 127.0.0.1:4539 can approve"). It is read again
 * when its modification time changes, so a person is added or removed without a restart; a changed file that does not
 * parse keeps the previous tokens and is logged.
 */
@ApplicationScoped
public class FileTokenIdentities implements IdentityProvider<TokenAuthenticationRequest> {

  private static final Logger LOG = Logger.getLogger(FileTokenIdentities.class);

  private final Optional<Path> file;
  private volatile ApiTokens tokens;
  private volatile FileTime readAt;

  public FileTokenIdentities(@ConfigProperty(name = "cascade.api.tokens-file") Optional<String> file) {
    this.file = file.filter(f -> !f.isBlank()).map(Path::of);
  }

  /** Reads the file at start: no file, or one that does not parse, stops the service with the reason. */
  void onStart(@Observes StartupEvent start) throws IOException {
    Path path = file.orElseThrow(() -> new IllegalStateException("the operator API needs authentication: set "
        + "cascade.api.tokens-file (CASCADE_API_TOKENS_FILE) to a tokens file (docs/operations.md, "
        + "\"Authentication and roles\")"));
    readAt = Files.getLastModifiedTime(path);
    tokens = ApiTokens.read(path);
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    ApiTokens.Holder holder = current().holder(request.getToken().getToken())
        .orElseThrow(() -> new AuthenticationFailedException("unknown token"));
    return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(holder.person()))
        .addRoles(holder.roles())
        .build());
  }

  private ApiTokens current() {
    Path path = file.orElseThrow();
    try {
      FileTime modified = Files.getLastModifiedTime(path);
      if (!modified.equals(readAt)) {
        tokens = ApiTokens.read(path);
        readAt = modified;
        LOG.infof("Read the tokens file %s again", path);
      }
    } catch (IOException | IllegalArgumentException e) {
      // The message names the file and a line number, never a line's content (ApiTokens).
      LOG.errorf("Keeping the tokens read before: cannot read the changed tokens file: %s", e.getMessage());
    }
    return tokens;
  }
}
