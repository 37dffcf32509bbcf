package vn.ehealth.fhir.tests.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * One OpenSearch 2.x node for the scale-out tests: cluster manager and data on loopback, no
 * security plugin, data under the directory given. Started by the tests in a JVM of its own (its
 * Lucene differs from the server's); it stops when its standard input closes, so it never outlives
 * the test JVM that started it.
 *
 * <p>Arguments: {@code <base dir> <http port> <transport port>}. Prints {@code OPENSEARCH_READY <http port>}
 * once the node has started.
 */
public final class OpenSearchNodeMain {

	private OpenSearchNodeMain() {}

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: OpenSearchNodeMain <base dir> <http port> <transport port>");
			System.exit(2);
		}
		Path base = Path.of(args[0]).toAbsolutePath();
		String httpPort = args[1];
		String transportPort = args[2];
		Files.createDirectories(base);

		OpenSearchRunner runner = new OpenSearchRunner();
		// the ports are given: skip the runner's own probing of 9200-9299
		runner.setMaxHttpPort(-1);
		runner.onBuild((index, settings) -> settings
				.put("network.host", "127.0.0.1")
				.put("http.port", httpPort)
				.put("transport.port", transportPort)
				.put("discovery.type", "single-node")
				// a shared build machine's disk may be fuller than OpenSearch's watermarks allow
				.put("cluster.routing.allocation.disk.threshold_enabled", false)
				.put("node.max_local_storage_nodes", 1));
		runner.build(OpenSearchRunner.newConfigs()
				.basePath(base.toString())
				.numOfNode(1)
				.clusterName("vietfhir-test")
				.printOnFailure());
		System.out.println("OPENSEARCH_READY " + httpPort);
		System.out.flush();

		// the parent holds our stdin: end of input means the tests are over (or their JVM died)
		try (InputStream in = System.in) {
			while (in.read() >= 0) {
				// nothing is sent; wait for the end
			}
		} catch (IOException e) {
			// the pipe broke: the parent is gone
		}
		try {
			runner.close();
		} finally {
			System.exit(0);
		}
	}
}
