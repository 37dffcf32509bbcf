package vn.ehealth.fhir.server.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import vn.ehealth.fhir.server.bulkimport.LocalImport;
import vn.ehealth.fhir.server.bulkimport.NdjsonImporter;

/** This server as the sync's target (the scheduled job): the bulk importer, in process. */
final class LocalTarget implements ProvinceSync.Target {

	private final NdjsonImporter importer;
	private final Path workDir;
	private final Map<String, Object> auditContext;

	LocalTarget(NdjsonImporter importer, Path workDir, Map<String, Object> auditContext) {
		this.importer = importer;
		this.workDir = workDir;
		this.auditContext = auditContext;
	}

	@Override
	public ProvinceSync.Applied importFiles(List<ProvinceSync.TypedFile> files, BooleanSupplier alive) throws IOException {
		List<LocalImport.File> inputs = files.stream().map(f -> new LocalImport.File(f.file(), f.type(), f.label())).toList();
		LocalImport.Outcome outcome = LocalImport.run(importer, inputs, workDir, auditContext, alive);
		return new ProvinceSync.Applied(outcome.storedTotal(), outcome.unchanged(), outcome.errors(), outcome.errorSamples());
	}

	@Override
	public ProvinceSync.Applied delete(List<String> references) {
		NdjsonImporter.DeleteResult result = importer.delete(references, auditContext);
		List<String> samples = new ArrayList<>();
		result.failed().forEach((reference, why) -> {
			if (samples.size() < 10) {
				samples.add(reference + ": " + why);
			}
		});
		return new ProvinceSync.Applied(result.deleted(), 0, result.failed().size(), samples);
	}
}
