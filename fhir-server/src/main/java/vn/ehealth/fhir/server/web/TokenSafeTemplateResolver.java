package vn.ehealth.fhir.server.web;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import org.thymeleaf.IEngineConfiguration;
import org.thymeleaf.spring6.templateresolver.SpringResourceTemplateResolver;
import org.thymeleaf.templateresource.ITemplateResource;

/**
 * The web test page's templates with the page form posted instead of sent by GET. The "API Key" field
 * (the bearer token) sits in that form: by GET it would travel in the page URL, into the browser history
 * and proxy logs. HAPI's page controller reads its parameters from either.
 */
class TokenSafeTemplateResolver extends SpringResourceTemplateResolver {

	static final String GET_FORM = "method=\"get\" id=\"outerForm\"";
	static final String POST_FORM = "method=\"post\" id=\"outerForm\"";
	/** The home page's welcome box, which also links to the public disclosure pages (no login needed). */
	static final String WELCOME = "<div th:fragment=\"banner\" class=\"well\">";
	static final String WELCOME_WITH_LINKS = WELCOME
			+ "<p><a href=\"cong-khai/\">Công khai thông tin cơ sở khám bệnh, chữa bệnh</a> (public disclosure of health facilities)</p>";

	@Override
	protected ITemplateResource computeTemplateResource(IEngineConfiguration configuration, String ownerTemplate,
			String template, String resourceName, String characterEncoding, Map<String, Object> attributes) {
		ITemplateResource resource =
				super.computeTemplateResource(configuration, ownerTemplate, template, resourceName, characterEncoding, attributes);
		return resource == null ? null : new PostedForm(resource);
	}

	private record PostedForm(ITemplateResource template) implements ITemplateResource {

		@Override
		public Reader reader() throws IOException {
			try (Reader reader = template.reader()) {
				StringWriter text = new StringWriter();
				reader.transferTo(text);
				return new StringReader(text.toString().replace(GET_FORM, POST_FORM).replace(WELCOME, WELCOME_WITH_LINKS));
			}
		}

		@Override
		public String getDescription() {
			return template.getDescription();
		}

		@Override
		public String getBaseName() {
			return template.getBaseName();
		}

		@Override
		public boolean exists() {
			return template.exists();
		}

		@Override
		public ITemplateResource relative(String relativeLocation) {
			return new PostedForm(template.relative(relativeLocation));
		}
	}
}
