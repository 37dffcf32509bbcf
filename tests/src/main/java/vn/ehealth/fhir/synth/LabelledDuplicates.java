package vn.ehealth.fhir.synth;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;

/**
 * Labelled duplicates for measuring Patient/$match (issue 19): for person {@code i} of a
 * {@link Population}, the stored record and a second record of one kind, labelled with whether it is
 * the same person. Same person: missing diacritics, a typing slip, swapped name parts, CMND then
 * CCCD, a new insurance card, a moved address, the CCCD alone. Other people: a twin (one birth date,
 * another given name) and a namesake (same name and birth date, another CCCD).
 */
public final class LabelledDuplicates {

	public enum Kind {
		NO_DIACRITICS(true), TYPING_SLIP(true), SWAPPED_NAME(true), CMND_THEN_CCCD(true), NEW_INSURANCE_CARD(true),
		MOVED(true), CCCD(true), TWIN(false), NAMESAKE(false);

		public final boolean samePerson;

		Kind(boolean samePerson) {
			this.samePerson = samePerson;
		}
	}

	/** The stored record, the second record (no id) and what it is. */
	public record Case(Patient stored, Patient second, Kind kind) {}

	private final Population population;
	private final LocalDate asOf;

	public LabelledDuplicates(long seed, LocalDate asOf) {
		this.population = new Population(seed, asOf);
		this.asOf = asOf;
	}

	/** Person {@code index}'s record (id {@code idPrefix + index}) and its duplicate of kind {@code index % kinds}. */
	public Case of(int index, String idPrefix) {
		Person person = population.person(index);
		Patient stored = Population.patient(person, idPrefix + index, asOf);
		Kind kind = Kind.values()[index % Kind.values().length];
		Rng rng = new Rng(index, "duplicate", index);
		Patient second = stored.copy();
		second.setId((String) null);
		second.getMeta().setProfile(List.of());
		switch (kind) {
			case NO_DIACRITICS -> {
				second.getName().clear();
				second.addName(plain(stored.getNameFirstRep()));
				withoutIds(second);
			}
			case TYPING_SLIP -> {
				HumanName name = second.getNameFirstRep();
				List<StringType> given = name.getGiven();
				StringType last = given.get(given.size() - 1);
				last.setValue(slip(last.getValue(), rng));
				name.setText(null);
				withoutIds(second);
			}
			case SWAPPED_NAME -> {
				HumanName name = second.getNameFirstRep();
				List<StringType> given = name.getGiven();
				String family = name.getFamily();
				StringType last = given.get(given.size() - 1);
				name.setFamily(last.getValue());
				last.setValue(family);
				name.setText(null);
				withoutIds(second);
			}
			case CMND_THEN_CCCD -> {
				second.getIdentifier().removeIf(i -> !IdentifierSystems.CMND.equals(i.getSystem()));
				if (second.getIdentifier().isEmpty()) {
					second.addIdentifier().setSystem(IdentifierSystems.CMND).setValue(String.format("%09d", 100_000_000 + index));
				}
			}
			case NEW_INSURANCE_CARD -> {
				second.getIdentifier().removeIf(i -> !IdentifierSystems.BHYT.equals(i.getSystem()));
				second.getIdentifier().forEach(i -> {
					String v = i.getValue();
					if (v.length() == 15) {
						i.setValue((v.startsWith("HT") ? "GD" : "HT") + v.substring(2)); // another group, same BHXH number
					}
				});
				second.getNameFirstRep().getGiven().subList(0, Math.max(0, second.getNameFirstRep().getGiven().size() - 1)).clear();
				second.getNameFirstRep().setText(null);
			}
			case MOVED -> {
				second.getAddress().clear();
				second.addAddress().setState(rng.chance(0.5) ? "Hà Nội" : "Hồ Chí Minh").setCity("Phường Mới");
				second.getTelecom().clear();
				withoutIds(second);
			}
			case CCCD -> {
				second.getIdentifier().removeIf(i -> !IdentifierSystems.CCCD.equals(i.getSystem()));
				second.getName().clear();
				second.addName().setText(stored.getNameFirstRep().getFamily());
			}
			case TWIN -> {
				HumanName name = second.getNameFirstRep();
				List<StringType> given = name.getGiven();
				StringType last = given.get(given.size() - 1);
				last.setValue(last.getValue().startsWith("Ân") ? "Bình" : "Ân");
				name.setText(null);
				second.getTelecom().clear();
				withoutIds(second);
			}
			case NAMESAKE -> {
				second.getIdentifier().clear();
				String cccd = stored.getIdentifierFirstRep().getValue();
				second.addIdentifier().setSystem(IdentifierSystems.CCCD)
						.setValue(cccd.substring(0, 6) + String.format("%06d", (Integer.parseInt(cccd.substring(6)) + 500_000) % 1_000_000));
				second.getAddress().clear();
				second.getTelecom().clear();
			}
		}
		return new Case(stored, second, kind);
	}

	private static void withoutIds(Patient patient) {
		patient.getIdentifier().clear();
	}

	private static HumanName plain(HumanName name) {
		HumanName copy = new HumanName().setFamily(strip(name.getFamily()));
		name.getGiven().forEach(g -> copy.addGiven(strip(g.getValue())));
		return copy;
	}

	static String strip(String text) {
		return text == null ? null : Normalizer.normalize(text.replace('đ', 'd').replace('Đ', 'D'), Normalizer.Form.NFD)
				.replaceAll("\\p{M}+", "");
	}

	/** One slip of the keyboard: two neighbouring letters swapped, or one doubled. */
	private static String slip(String word, Rng rng) {
		if (word.length() < 3) {
			return word + word.charAt(word.length() - 1);
		}
		int at = rng.between(0, word.length() - 2);
		if (rng.chance(0.5)) {
			return word.substring(0, at) + word.charAt(at + 1) + word.charAt(at) + word.substring(at + 2);
		}
		return word.substring(0, at + 1) + word.charAt(at) + word.substring(at + 1);
	}

	/** A list of the cases for people {@code 0 … count-1}. */
	public List<Case> cases(int count, String idPrefix) {
		List<Case> cases = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			cases.add(of(i, idPrefix));
		}
		return cases;
	}
}
