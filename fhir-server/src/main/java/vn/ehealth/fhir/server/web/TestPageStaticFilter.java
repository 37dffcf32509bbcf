package vn.ehealth.fhir.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaTypeFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/** Serves the web test page's static files from a classpath folder; anything else passes through. */
class TestPageStaticFilter extends OncePerRequestFilter {

	private final String classpathRoot;

	TestPageStaticFilter(String classpathRoot) {
		this.classpathRoot = classpathRoot;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		ClassPathResource file = new ClassPathResource(classpathRoot + path);
		if (!"GET".equals(request.getMethod()) || path.contains("..") || !file.isReadable()) {
			chain.doFilter(request, response);
			return;
		}
		response.setContentType(MediaTypeFactory.getMediaType(path)
				.map(Object::toString)
				.orElse("application/octet-stream"));
		response.setHeader("Cache-Control", "max-age=3600");
		try (InputStream in = file.getInputStream()) {
			in.transferTo(response.getOutputStream());
		}
	}
}
