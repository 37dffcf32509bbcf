package vn.ehealth.fhir.profiles.identifier;

import java.util.Objects;

/**
 * One broken identifier rule, explained in Vietnamese and in English.
 *
 * @param rule the rule broken
 * @param messageVi the explanation in Vietnamese, shown first to Vietnamese users
 * @param messageEn the same explanation in English
 */
public record Violation(Rule rule, String messageVi, String messageEn) {

	public Violation {
		Objects.requireNonNull(rule, "rule");
		Objects.requireNonNull(messageVi, "messageVi");
		Objects.requireNonNull(messageEn, "messageEn");
	}

	/** Key of the guide's invariant stating the same rule, e.g. {@code vn-cccd-3}. */
	public String invariantKey() {
		return rule.invariantKey();
	}

	/** Both texts the way the guide's invariants write them: Vietnamese, " / ", English. */
	public String message() {
		return messageVi + " / " + messageEn;
	}

	@Override
	public String toString() {
		return invariantKey() + " " + rule + ": " + message();
	}
}
