package vn.ehealth.fhir.igpackage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Reads every file of one folder on the classpath, whether it lies in a directory or in a jar. */
final class ClasspathFolder {

	private ClasspathFolder() {}

	/** File name → content, sorted by name, for the files directly in {@code folder} ending with {@code suffix}. */
	static TreeMap<String, byte[]> read(String folder, String suffix) {
		TreeMap<String, byte[]> files = new TreeMap<>();
		try {
			Enumeration<URL> roots = ClasspathFolder.class.getClassLoader().getResources(folder);
			while (roots.hasMoreElements()) {
				URL root = roots.nextElement();
				if ("file".equals(root.getProtocol())) {
					try (Stream<Path> paths = Files.list(Path.of(root.toURI()))) {
						for (Path path : paths.filter(p -> p.toString().endsWith(suffix)).toList()) {
							files.put(path.getFileName().toString(), Files.readAllBytes(path));
						}
					}
				} else if ("jar".equals(root.getProtocol())) {
					JarURLConnection connection = (JarURLConnection) root.openConnection();
					try (JarFile jar = connection.getJarFile()) {
						String prefix = folder.endsWith("/") ? folder : folder + "/";
						for (JarEntry entry : entries(jar)) {
							String name = entry.getName();
							if (name.startsWith(prefix) && name.endsWith(suffix) && name.indexOf('/', prefix.length()) < 0) {
								try (InputStream in = jar.getInputStream(entry)) {
									files.put(name.substring(prefix.length()), in.readAllBytes());
								}
							}
						}
					}
				}
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		} catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
		return files;
	}

	private static List<JarEntry> entries(JarFile jar) {
		return new ArrayList<>(jar.stream().toList());
	}
}
