package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.interceptor.api.IBaseInterceptorBroadcaster.IInvoker;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import vn.ehealth.fhir.server.rest.RequestPipeline;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The running server against {@link RequestPipeline}, the one table of filter and hook orders: every
 * hook and filter of ours has an order from the table, none shares its number with another on the
 * same pointcut or chain, and the table's sections are declared in the order they run. And the two
 * orders that decide what a client sees: the size limit before the access control, the access control
 * before validation.
 */
class RequestPipelineTest {

	private static final String OURS = "vn.ehealth.fhir.server.";
	private static final String JSON = "application/fhir+json";

	@Test
	void everySectionOfTheTableIsDeclaredInTheOrderItRuns() {
		for (Class<?> section : RequestPipeline.class.getDeclaredClasses()) {
			List<Integer> orders = constants(section);
			assertThat(orders).as(section.getSimpleName()).isNotEmpty().isSorted().doesNotHaveDuplicates();
		}
	}

	@Test
	void everyHookOfOursRunsAtAnOrderOfTheTableAndSharesItWithNoOther() {
		RestfulServer server = context().getBean(RestfulServer.class);
		// the REST server's hooks and those on HAPI's storage interceptors (which every write calls)
		IInterceptorService storage = context().getBean(IInterceptorService.class);
		Map<Pointcut, Class<?>> sections = hookSections();
		for (Pointcut pointcut : Pointcut.values()) {
			List<IInvoker> ours = java.util.stream.Stream.concat(server.getInterceptorService().getInvokersForPointcut(pointcut).stream(),
							storage.getInvokersForPointcut(pointcut).stream())
					.filter(invoker -> isOurs(invoker.getInterceptor().getClass()))
					.toList();
			if (ours.isEmpty()) {
				continue;
			}
			String running = ours.stream().map(i -> i.getOrder() + " " + i.getInterceptor().getClass().getSimpleName()).toList().toString();
			assertThat(sections).as("%s has hooks of ours %s but no section in RequestPipeline", pointcut, running)
					.containsKey(pointcut);
			List<Integer> orders = ours.stream().map(IInvoker::getOrder).toList();
			assertThat(orders).as("%s: %s against RequestPipeline.%s", pointcut, running, sections.get(pointcut).getSimpleName())
					.isSubsetOf(constants(sections.get(pointcut)))
					.doesNotHaveDuplicates();
		}
	}

	@Test
	void everyFilterOfOursHasAnOrderOfTheTableAndNoTwoShareOneOnAFhirRequest() {
		ConfigurableApplicationContext context = context();
		List<Integer> table = new ArrayList<>(constants(RequestPipeline.Filters.class));
		table.addAll(constants(RequestPipeline.OtherFilters.class));
		Map<String, FilterRegistrationBean<?>> byFilterName = new HashMap<>();
		context.getBeansOfType(FilterRegistrationBean.class).forEach((bean, registration) -> {
			if (definedByUs(context.getBeanFactory(), bean)) {
				assertThat(registration.getOrder()).as("filter %s", bean).isIn(table);
				byFilterName.put(registration.getFilterName(), registration);
			}
		});
		assertThat(byFilterName).isNotEmpty();
		// the chain Tomcat runs for a /fhir request, in its order
		List<Integer> chain = new ArrayList<>();
		List<String> names = new ArrayList<>();
		for (FilterMap map : tomcatContext(context).findFilterMaps()) {
			FilterRegistrationBean<?> ours = byFilterName.get(map.getFilterName());
			if (ours != null && onFhirRequests(map)) {
				chain.add(ours.getOrder());
				names.add(map.getFilterName());
			}
		}
		assertThat(chain).as("orders of the /fhir chain %s", names).isSorted().doesNotHaveDuplicates()
				.isSubsetOf(constants(RequestPipeline.Filters.class));
	}

	/** An oversized body is refused unread, token or not: the size limit filter comes before HAPI's access control. */
	@Test
	void theSizeLimitAnswersBeforeTheAccessControl() {
		Patient patient = Fixtures.patient("Trần", "Văn Lớn", Fixtures.uniqueValue());
		patient.getText().setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + "a".repeat(3 << 20) + "</div>");
		Http.Response response = TestServer.shared().anonymousHttp().post("/fhir/Patient", JSON, encode(patient));
		assertThat(response.status()).as(abbreviate(response.body())).isEqualTo(413);
		assertThat(response.header("Content-Type")).contains("fhir");
	}

	/** A client without a token learns nothing from the validator: 401 before the transaction is validated (422). */
	@Test
	void theAccessControlAnswersBeforeValidation() {
		Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		// the CCCD's century-and-sex digit says a woman; the patient is a man (ValidationOnWriteTest: 422)
		Patient invalid = Fixtures.patientWithCccd(Fixtures.cccd("001185"), "male", "1985-03-02");
		tx.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(invalid)
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
		String body = encode(tx);
		assertThat(TestServer.shared().http().post("/fhir", JSON, body).status()).isEqualTo(422);

		Http.Response anonymous = TestServer.shared().anonymousHttp().post("/fhir", JSON, body);

		assertThat(anonymous.status()).as(abbreviate(anonymous.body())).isEqualTo(401);
		assertThat(anonymous.body()).doesNotContain("vn-cccd");
	}

	/** Each hook section by the pointcuts it names. */
	private static Map<Pointcut, Class<?>> hookSections() {
		Map<Pointcut, Class<?>> sections = new HashMap<>();
		for (Class<?> section : RequestPipeline.class.getDeclaredClasses()) {
			try {
				Field field = section.getField("POINTCUTS");
				for (Object pointcut : (List<?>) field.get(null)) {
					assertThat(sections.put((Pointcut) pointcut, section)).as("%s in two sections", pointcut).isNull();
				}
			} catch (NoSuchFieldException filters) {
				// a section of servlet filters
			} catch (IllegalAccessException e) {
				throw new IllegalStateException(e);
			}
		}
		return sections;
	}

	/** A section's int constants, in the order they are declared. */
	private static List<Integer> constants(Class<?> section) {
		return Arrays.stream(section.getDeclaredFields())
				.filter(field -> field.getType() == int.class && Modifier.isStatic(field.getModifiers()))
				.map(field -> {
					try {
						return field.getInt(null);
					} catch (IllegalAccessException e) {
						throw new IllegalStateException(e);
					}
				})
				.toList();
	}

	private static boolean isOurs(Class<?> type) {
		return type.getName().startsWith(OURS);
	}

	private static boolean definedByUs(ConfigurableListableBeanFactory beans, String bean) {
		String configuration = beans.getBeanDefinition(bean).getFactoryBeanName();
		Class<?> type = configuration == null ? null : beans.getType(configuration);
		return type != null && isOurs(type);
	}

	private static boolean onFhirRequests(FilterMap map) {
		return (map.getDispatcherMapping() & FilterMap.REQUEST) != 0 && Arrays.stream(map.getURLPatterns())
				.anyMatch(pattern -> pattern.equals("/*") || pattern.equals("/fhir") || pattern.startsWith("/fhir/"));
	}

	private static Context tomcatContext(ConfigurableApplicationContext context) {
		var tomcat = ((TomcatWebServer) ((WebServerApplicationContext) context).getWebServer()).getTomcat();
		for (Container child : tomcat.getHost().findChildren()) {
			return (Context) child;
		}
		throw new IllegalStateException("no Tomcat context");
	}

	private static ConfigurableApplicationContext context() {
		return TestServer.shared().context();
	}

	private static String encode(org.hl7.fhir.instance.model.api.IBaseResource resource) {
		return TestServer.fhirContext().newJsonParser().encodeResourceToString(resource);
	}

	private static String abbreviate(String body) {
		return body.length() > 500 ? body.substring(0, 500) + "…" : body;
	}
}
