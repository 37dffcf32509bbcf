package vn.ehealth.fhir.server.directory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most n requests per client address and clock minute, kept in memory (each server node counts its
 * own). Enough to keep an anonymous crawler from taking the server's two cores; a reverse proxy in
 * front should pass the client's address (server.forward-headers-strategy=native) or limit itself.
 */
final class AddressRateLimit {

	private static final int MAX_TRACKED = 100_000;

	private record Window(long minute, int count) {}

	private final int perMinute;
	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	AddressRateLimit(int perMinute) {
		this.perMinute = perMinute;
	}

	int perMinute() {
		return perMinute;
	}

	boolean tryAcquire(String address) {
		if (perMinute <= 0 || address == null) {
			return true;
		}
		long minute = System.currentTimeMillis() / 60_000;
		if (windows.size() > MAX_TRACKED) {
			windows.values().removeIf(w -> w.minute() != minute);
		}
		Window window = windows.merge(address, new Window(minute, 1),
				(old, one) -> old.minute() == minute ? new Window(minute, old.count() + 1) : one);
		return window.count() <= perMinute;
	}
}
