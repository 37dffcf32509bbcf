package vn.ehealth.fhir.server.web;

import ca.uhn.fhir.rest.openapi.OpenApiInterceptor;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * HAPI's OpenAPI description and Swagger UI (/fhir/api-docs, /fhir/swagger-ui/) for a server that needs a
 * bearer token: the description declares it (a bearer security scheme required by every operation), so
 * Swagger UI shows "Authorize" and "Try it out" sends the token. Text is served as UTF-8: HAPI names the
 * type without a charset, and the servlet default (ISO-8859-1) garbles Vietnamese descriptions.
 */
public class BearerTokenOpenApi extends OpenApiInterceptor {

	private static final String SCHEME = "bearer";

	@Override
	public boolean serveSwaggerUi(HttpServletRequest request, HttpServletResponse response, ServletRequestDetails details)
			throws IOException {
		String path = request.getPathInfo();
		if (path != null && (path.equals("/api-docs") || path.startsWith("/swagger-ui/") && isPage(path))) {
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		}
		return super.serveSwaggerUi(request, response, details);
	}

	private static boolean isPage(String path) {
		return path.endsWith("/") || path.endsWith(".html");
	}

	@Override
	protected OpenAPI generateOpenApi(ServletRequestDetails request) {
		OpenAPI openApi = super.generateOpenApi(request);
		if (openApi.getComponents() == null) {
			openApi.setComponents(new Components());
		}
		openApi.getComponents().addSecuritySchemes(SCHEME, new SecurityScheme()
				.type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.bearerFormat("JWT")
				.description("Access token from POST /auth/token (SMART Backend Services) / Token truy cập lấy từ /auth/token"));
		openApi.addSecurityItem(new SecurityRequirement().addList(SCHEME));
		return openApi;
	}
}
