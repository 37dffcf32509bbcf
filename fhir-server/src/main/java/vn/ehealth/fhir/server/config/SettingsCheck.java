package vn.ehealth.fhir.server.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.validation.MessageInterpolatorFactory;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Checks the server's settings before anything starts (before PostgreSQL, before HAPI): every
 * {@code vietfhir.*} key given anywhere (application.yaml, VIETFHIR_* environment variables, system
 * properties, the command line) must be one the settings records declare, and every value must bind
 * and pass the records' constraints. A misspelt key would otherwise be ignored in silence and the
 * server would run on the default. Renamed keys are read under their new name first (see
 * {@link RenamedSettings}).
 */
public class SettingsCheck implements EnvironmentPostProcessor, Ordered {

	private final Log log;

	public SettingsCheck(DeferredLogFactory logFactory) {
		this.log = logFactory.getLog(SettingsCheck.class);
	}

	/** After application.yaml and the other config data are loaded (ConfigDataEnvironmentPostProcessor). */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		List<Class<?>> records = settingsRecords(application);
		KnownSettings known = KnownSettings.of(records);
		RenamedSettings.apply(environment, known, log);
		List<String> problems = unknownKeys(environment, known);
		if (problems.isEmpty()) {
			problems = invalidValues(environment, records);
		}
		if (!problems.isEmpty()) {
			throw new InvalidSettingsException(problems);
		}
	}

	/** The {@code @ConfigurationProperties} types under the application's packages with a vietfhir prefix. */
	static List<Class<?>> settingsRecords(SpringApplication application) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		Set<String> packages = new LinkedHashSet<>();
		application.getAllSources().stream()
				.filter(Class.class::isInstance)
				.map(source -> ((Class<?>) source).getPackageName())
				.forEach(packages::add);
		List<Class<?>> records = new ArrayList<>();
		for (String basePackage : packages) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), application.getClassLoader());
				String prefix = KnownSettings.prefixOf(type);
				if (prefix.equals(KnownSettings.ROOT) || prefix.startsWith(KnownSettings.ROOT + ".")) {
					records.add(type);
				}
			}
		}
		return records;
	}

	static List<String> unknownKeys(ConfigurableEnvironment environment, KnownSettings known) {
		List<String> problems = new ArrayList<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			boolean environmentVariables = source instanceof SystemEnvironmentPropertySource;
			for (String name : enumerable.getPropertyNames()) {
				if (isOurs(name, environmentVariables)
						&& !known.isKnown(name, environmentVariables)
						&& RenamedSettings.newKey(name, environmentVariables, known).isEmpty()) {
					problems.add(name + ": khóa không tồn tại / unknown key" + known.closest(name)
							.map(key -> " (có phải / did you mean " + key + "?)")
							.orElse("")
							+ " [" + source.getName() + "]");
				}
			}
		}
		return problems;
	}

	private static boolean isOurs(String name, boolean environmentVariable) {
		return environmentVariable
				? name.regionMatches(true, 0, KnownSettings.ROOT + "_", 0, KnownSettings.ROOT.length() + 1)
				: KnownSettings.dotted(name).startsWith(KnownSettings.ROOT + ".");
	}

	/** Binds each record as Spring will, with its Bean Validation constraints. */
	static List<String> invalidValues(ConfigurableEnvironment environment, List<Class<?>> records) {
		List<String> problems = new ArrayList<>();
		Binder binder = Binder.get(environment);
		try (LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean()) {
			validator.setMessageInterpolator(new MessageInterpolatorFactory().getObject());
			validator.afterPropertiesSet();
			for (Class<?> type : records) {
				String prefix = KnownSettings.prefixOf(type);
				try {
					binder.bindOrCreate(prefix, Bindable.of(type), new ValidationBindHandler(validator));
				} catch (BindException e) {
					problems.addAll(describe(e));
				}
			}
		}
		return problems;
	}

	private static List<String> describe(BindException e) {
		List<String> problems = new ArrayList<>();
		if (e.getCause() instanceof BindValidationException invalid) {
			// the object validated: the record, or an element of a list of records in it
			String object = invalid.getValidationErrors().getName().toString();
			for (ObjectError error : invalid.getValidationErrors()) {
				if (error instanceof FieldError field) {
					problems.add(object + "." + dashedPath(field.getField()) + " = '" + field.getRejectedValue()
							+ "': giá trị không hợp lệ / invalid value: " + field.getDefaultMessage());
				} else {
					problems.add(object + ": giá trị không hợp lệ / invalid value: " + error.getDefaultMessage());
				}
			}
			return problems;
		}
		String key = e.getProperty() != null ? e.getProperty().getName().toString() : e.getName().toString();
		Object value = e.getProperty() != null ? e.getProperty().getValue() : null;
		Throwable reason = e;
		while (reason.getCause() != null) {
			reason = reason.getCause();
		}
		problems.add(key + " = '" + value + "': giá trị không hợp lệ / invalid value: " + reason.getMessage()
				+ (e.getProperty() != null && e.getProperty().getOrigin() != null ? " [" + e.getProperty().getOrigin() + "]" : ""));
		return problems;
	}

	/** bootstrapClients[0].clientId → bootstrap-clients[0].client-id */
	private static String dashedPath(String field) {
		return KnownSettings.dashed(field);
	}

	/** Startup stops with every problem listed, Vietnamese first and English beside. */
	public static final class InvalidSettingsException extends IllegalStateException {
		InvalidSettingsException(List<String> problems) {
			super("Cấu hình VietFHIR sai, máy chủ không khởi động / Invalid VietFHIR settings, the server does not start"
					+ " (docs/configuration.md):\n  - " + String.join("\n  - ", problems));
		}
	}
}
