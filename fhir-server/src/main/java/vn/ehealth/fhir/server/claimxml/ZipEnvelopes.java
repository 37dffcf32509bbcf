package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The envelopes of a ZIP ({@code Content-Type: application/zip}), one file each, read in memory and
 * never written to disk (so a file's name, {@code ../} or absolute, reaches nothing). A hostile ZIP is
 * refused while it is read, from what it actually expands to, not from the sizes its headers claim:
 * too many files, a file larger than an envelope may be, all files together larger than the limit, or
 * an expansion ratio no claim XML has (a zip bomb). Directories and macOS resource forks are skipped.
 */
final class ZipEnvelopes {

	/** Receives each envelope: its name in the ZIP and its bytes. */
	interface Visitor {
		void envelope(String name, byte[] content);
	}

	/** The ratio is judged once this much has been expanded: a small ZIP's header overhead skews it. */
	private static final long RATIO_AFTER = 1 << 20;

	private final ClaimXmlSettings settings;

	ZipEnvelopes(ClaimXmlSettings settings) {
		this.settings = settings;
	}

	static boolean isZip(String contentType) {
		String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
		return type.equals("application/zip") || type.equals("application/x-zip-compressed");
	}

	/** Reads every envelope of {@code zip} in order; the number of envelopes. */
	int read(byte[] zip, Visitor visitor) {
		Counting compressed = new Counting(new ByteArrayInputStream(zip));
		long expanded = 0;
		int files = 0;
		try (ZipInputStream in = new ZipInputStream(compressed)) {
			ZipEntry entry;
			while ((entry = in.getNextEntry()) != null) {
				if (entry.isDirectory() || entry.getName().startsWith("__MACOSX/")) {
					continue;
				}
				if (++files > settings.maxZipEntries()) {
					throw ClaimXmlRefusals.refused(entry.getName(), "Tệp ZIP có quá nhiều tệp, tối đa " + settings.maxZipEntries(),
							"The ZIP holds too many files, at most " + settings.maxZipEntries() + " (" + ClaimXmlSettings.PREFIX
									+ ".max-zip-entries)");
				}
				ByteArrayOutputStream content = new ByteArrayOutputStream();
				byte[] buffer = new byte[64 * 1024];
				int n;
				while ((n = in.read(buffer)) > 0) {
					content.write(buffer, 0, n);
					expanded += n;
					check(entry.getName(), content.size(), expanded, compressed.count);
				}
				visitor.envelope(entry.getName(), content.toByteArray());
			}
		} catch (ZipException e) {
			throw ClaimXmlRefusals.refused(null, "Tệp ZIP hỏng: " + e.getMessage(), "The ZIP is damaged: " + e.getMessage());
		} catch (IOException e) {
			throw ClaimXmlRefusals.refused(null, "Không đọc được tệp ZIP: " + e.getMessage(), "The ZIP cannot be read: " + e.getMessage());
		}
		if (files == 0) {
			throw ClaimXmlRefusals.refused(null, "Tệp ZIP không có hồ sơ nào", "The ZIP holds no file");
		}
		return files;
	}

	private void check(String name, long file, long expanded, long compressed) {
		if (file > settings.maxEnvelopeSize().toBytes()) {
			throw tooLarge(name, "Một tệp trong ZIP lớn hơn giới hạn của một phong bì (" + settings.maxEnvelopeSize().toBytes() + " byte)",
					"A file in the ZIP expands beyond the limit of one envelope (" + settings.maxEnvelopeSize().toBytes()
							+ " bytes, " + ClaimXmlSettings.PREFIX + ".max-envelope-size)");
		}
		if (expanded > settings.maxZipExpandedSize().toBytes()) {
			throw tooLarge(name, "Tệp ZIP giải nén vượt quá " + settings.maxZipExpandedSize().toBytes() + " byte",
					"The ZIP expands beyond " + settings.maxZipExpandedSize().toBytes() + " bytes ("
							+ ClaimXmlSettings.PREFIX + ".max-zip-expanded-size)");
		}
		if (expanded > RATIO_AFTER && expanded > settings.maxZipRatio() * Math.max(1, compressed)) {
			throw tooLarge(name, "Tỷ lệ nén bất thường (quả bom ZIP): hơn " + settings.maxZipRatio() + " lần",
					"Suspicious compression ratio (zip bomb): it expands more than " + settings.maxZipRatio()
							+ " times (" + ClaimXmlSettings.PREFIX + ".max-zip-ratio)");
		}
	}

	private static PayloadTooLargeException tooLarge(String name, String vietnamese, String english) {
		var refusal = ClaimXmlRefusals.refused("ZIP: " + name, vietnamese, english);
		return new PayloadTooLargeException(refusal.getMessage(), refusal.getOperationOutcome());
	}

	/** Counts the compressed bytes the inflater has taken so far. */
	private static final class Counting extends FilterInputStream {
		long count;

		Counting(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b >= 0) {
				count++;
			}
			return b;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = super.read(b, off, len);
			if (n > 0) {
				count += n;
			}
			return n;
		}
	}
}
