package vn.ehealth.fhir.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.TokenParamModifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class EquivalentIdentifierSearchTest {

	private static final String OURS = "http://fhir.ehealth.gov.vn/core/sid/national_id";
	private static final String VN_CORE = "http://fhir.hl7.org.vn/core/sid/cccd";

	private final EquivalentIdentifierSearch search = new EquivalentIdentifierSearch();

	@Test
	void aTokenOfEitherNamespaceGetsItsTwinOredIn() {
		SearchParameterMap map = new SearchParameterMap().add("identifier", new TokenParam(VN_CORE, "001085012345"));
		search.widen(map);
		assertThat(map.get("identifier")).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
				.containsExactly(new TokenParam(VN_CORE, "001085012345"), new TokenParam(OURS, "001085012345"));
	}

	@Test
	void theSystemAloneIsWidenedToo() {
		SearchParameterMap map = new SearchParameterMap().add("identifier", new TokenParam(OURS, null));
		search.widen(map);
		assertThat(map.get("identifier").get(0)).hasSize(2);
	}

	@Test
	void aChainedIdentifierIsWidened() {
		SearchParameterMap map = new SearchParameterMap()
				.add("subject", new ReferenceParam("Patient", "identifier", OURS + "|001085012345"));
		search.widen(map);
		List<IQueryParameterType> ors = map.get("subject").get(0);
		assertThat(ors).hasSize(2);
		ReferenceParam twin = (ReferenceParam) ors.get(1);
		assertThat(twin.getChain()).isEqualTo("identifier");
		assertThat(twin.getResourceType()).isEqualTo("Patient");
		assertThat(twin.getValue()).isEqualTo(VN_CORE + "|001085012345");
	}

	@Test
	void otherSystemsModifiersAndWidenedListsStayAsTheyAre() {
		TokenParam not = new TokenParam(OURS, "001085012345").setModifier(TokenParamModifier.NOT);
		SearchParameterMap map = new SearchParameterMap()
				.add("identifier", new TokenParam("urn:other", "1"))
				.add("gender", not);
		search.widen(map);
		assertThat(map.get("identifier").get(0)).hasSize(1);
		assertThat(map.get("gender").get(0)).containsExactly(not);

		SearchParameterMap both = new SearchParameterMap().add("identifier", new TokenParam(OURS, "1"));
		search.widen(both);
		search.widen(both);
		assertThat(both.get("identifier").get(0)).hasSize(2);
	}

	@Test
	void onlyTwelveDigitsUnderACccdSystemCount() {
		assertThat(IdentifierNamespaces.normalisedCccd(VN_CORE, " 001085012345 ")).isEqualTo("001085012345");
		assertThat(IdentifierNamespaces.normalisedCccd(OURS, "")).isNull();
		assertThat(IdentifierNamespaces.normalisedCccd(OURS, "   ")).isNull();
		assertThat(IdentifierNamespaces.normalisedCccd(OURS, "00108501234")).isNull();
		assertThat(IdentifierNamespaces.normalisedCccd(OURS, "00108501234x")).isNull();
		assertThat(IdentifierNamespaces.normalisedCccd("http://fhir.ehealth.gov.vn/core/sid/insurance_number", "001085012345")).isNull();
		assertThat(IdentifierNamespaces.normalisedCccd(null, "001085012345")).isNull();
	}
}
