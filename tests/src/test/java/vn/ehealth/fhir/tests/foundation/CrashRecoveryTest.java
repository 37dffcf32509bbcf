package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.ServerProcess;

/**
 * kill -9 of the server JVM in the middle of writes (as the kernel's OOM killer would): after a
 * restart on the same data directory, no acknowledged write is lost, every transaction is all there
 * or not there at all, the full-text index finds the last acknowledged patients, and the embedded
 * PostgreSQL the dead JVM left behind does not stop the restart. The server runs in a JVM of its own
 * ({@link ServerProcess}); only that JVM and its own children are killed.
 */
class CrashRecoveryTest {

	private static final int WRITERS = 3;
	private static final int TRANSACTION_SIZE = 3;
	/** Acknowledged writes before the kill, so it falls in the middle of a steady stream. */
	private static final int WRITES_BEFORE_KILL = 45;
	/** The watchdog's name on its command line (storage/PostgresWatchdog). */
	private static final String WATCHDOG = "vietfhir-postgres-watchdog";

	/** A transaction sent: its marker identifier, and the patients it created once acknowledged. */
	private record SentTransaction(String marker, List<String> acknowledgedIds) {}

	/** What one trial's writers sent and were told. */
	private static final class Trial {
		final String word = "tainan" + randomLetters(8);
		final ConcurrentLinkedQueue<String> acknowledgedPatients = new ConcurrentLinkedQueue<>();
		final ConcurrentLinkedQueue<SentTransaction> transactions = new ConcurrentLinkedQueue<>();
		final AtomicInteger acknowledged = new AtomicInteger();
		/** A refused write while the server was up. */
		final AtomicReference<AssertionError> failure = new AtomicReference<>();
	}

	@Test
	void acknowledgedWritesSurviveKill9OfTheServer() throws InterruptedException {
		ServerProcess server = ServerProcess.create("vietfhir-crash-");
		List<Trial> trials = new ArrayList<>();
		try {
			server.start();
			// 1: the JVM alone dies; its watchdog stops PostgreSQL
			Trial first = writeAndKill(server, false);
			trials.add(first);
			assertThat(awaitPostmasterExit(server, Duration.ofSeconds(30)))
					.as("the watchdog stops the embedded PostgreSQL of a killed JVM").isTrue();
			restartAndCheck(server, trials);

			// 2: the JVM and its watchdog die; PostgreSQL stays, orphaned, holding the data directory
			Trial second = writeAndKill(server, true);
			trials.add(second);
			assertThat(server.postmaster()).as("PostgreSQL outlives the killed JVM and its watchdog").isPresent();
			restartAndCheck(server, trials);
			assertThat(server.logContains("still holds")).as("the restart stopped the orphaned PostgreSQL").isTrue();
		} finally {
			server.stop();
		}
	}

	/** Writes from a few threads, kills the JVM (and its watchdog too, if asked) under them. */
	private static Trial writeAndKill(ServerProcess server, boolean killWatchdogToo) throws InterruptedException {
		Trial trial = new Trial();
		Http http = server.http();
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> writers = new ArrayList<>();
		for (int w = 0; w < WRITERS; w++) {
			Thread writer = new Thread(() -> write(http, trial, stop), "crash-writer-" + w);
			writer.start();
			writers.add(writer);
		}
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (trial.acknowledged.get() < WRITES_BEFORE_KILL && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		if (killWatchdogToo) {
			List<ProcessHandle> watchdogs = server.children(WATCHDOG);
			assertThat(watchdogs).as("the server's PostgreSQL watchdog").hasSize(1);
			watchdogs.get(0).destroyForcibly();
		}
		server.kill();
		stop.set(true);
		for (Thread writer : writers) {
			writer.join(Duration.ofMinutes(2).toMillis());
		}
		assertThat(trial.failure.get()).as("a write refused before the kill").isNull();
		assertThat(trial.acknowledged.get()).isGreaterThanOrEqualTo(WRITES_BEFORE_KILL);
		return trial;
	}

	/** One writer: a patient, then a transaction of patients, and so on, until the server is gone. */
	private static void write(Http http, Trial trial, AtomicBoolean stop) {
		try {
			for (int i = 0; !stop.get(); i++) {
				if (i % 2 == 0) {
					Http.Response created = http.post("/fhir/Patient", "application/fhir+json",
							TransactionTest.encode(Fixtures.patient("Lê", trial.word, Fixtures.uniqueValue())));
					assertThat(created.status()).as(created.body()).isEqualTo(201);
					trial.acknowledgedPatients.add(new IdType(created.header("Location")).getIdPart());
				} else {
					String marker = Fixtures.uniqueValue();
					List<String> ids = new ArrayList<>();
					// listed before it is sent: one cut off by the kill must be all there or not there
					trial.transactions.add(new SentTransaction(marker, ids));
					Http.Response response = http.post("/fhir", "application/fhir+json", transaction(trial.word, marker));
					assertThat(response.status()).as(response.body()).isEqualTo(200);
					response.resource(Bundle.class).getEntry().forEach(entry ->
							ids.add(new IdType(entry.getResponse().getLocation()).getIdPart()));
				}
				trial.acknowledged.incrementAndGet();
			}
		} catch (RuntimeException e) {
			// the server was killed under this request: it is not acknowledged
		} catch (AssertionError e) {
			trial.failure.compareAndSet(null, e);
		}
	}

	private static String transaction(String word, String marker) {
		Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		for (int i = 0; i < TRANSACTION_SIZE; i++) {
			Patient patient = Fixtures.patient("Phan", word, marker);
			tx.addEntry().setResource(patient).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
		}
		return TransactionTest.encode(tx);
	}

	/** Restarts on the same data directory and checks the writes of every trial so far. */
	private static void restartAndCheck(ServerProcess server, List<Trial> trials) {
		// with PostgreSQL still running on the directory, the start waited 60 s for its own, then failed
		Duration took = server.start();
		System.out.println("Restarted after kill -9 in " + took.toMillis() + " ms");
		Http http = server.http();
		for (Trial trial : trials) {
			for (String id : trial.acknowledgedPatients) {
				assertThat(http.get("/fhir/Patient/" + id).status()).as("acknowledged Patient/" + id).isEqualTo(200);
			}
			for (SentTransaction tx : trial.transactions) {
				int stored = count(http, "/fhir/Patient?identifier=" + Fixtures.TEST_ID_SYSTEM + "%7C" + tx.marker());
				if (tx.acknowledgedIds().isEmpty()) {
					assertThat(stored).as("transaction " + tx.marker() + ": all or nothing").isIn(0, TRANSACTION_SIZE);
				} else {
					assertThat(stored).as("acknowledged transaction " + tx.marker()).isEqualTo(TRANSACTION_SIZE);
				}
			}
			Set<String> acknowledged = new TreeSet<>(trial.acknowledgedPatients);
			trial.transactions.forEach(tx -> acknowledged.addAll(tx.acknowledgedIds()));
			assertThat(contentSearch(http, trial.word))
					.as("_content=" + trial.word + " finds every acknowledged patient; log:\n" + server.logTail())
					.containsAll(acknowledged);
		}
	}

	private static int count(Http http, String search) {
		return http.get(search + "&_summary=count", "application/fhir+json").resource(Bundle.class).getTotal();
	}

	/** The ids of every patient a _content search finds, following the result pages. */
	private static Set<String> contentSearch(Http http, String word) {
		Set<String> ids = new TreeSet<>();
		String next = "/fhir/Patient?_content=" + word + "&_elements=id&_count=200";
		while (next != null) {
			Bundle page = http.get(next, "application/fhir+json").resource(Bundle.class);
			page.getEntry().forEach(entry -> ids.add(entry.getResource().getIdElement().getIdPart()));
			Bundle.BundleLinkComponent link = page.getLink(Bundle.LINK_NEXT);
			next = link == null ? null : link.getUrl().substring(link.getUrl().indexOf("/fhir"));
		}
		return ids;
	}

	private static boolean awaitPostmasterExit(ServerProcess server, Duration wait) throws InterruptedException {
		long deadline = System.nanoTime() + wait.toNanos();
		while (server.postmaster().isPresent()) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(100);
		}
		return true;
	}

	private static String randomLetters(int length) {
		StringBuilder letters = new StringBuilder();
		for (int i = 0; i < length; i++) {
			letters.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
		}
		return letters.toString();
	}
}
