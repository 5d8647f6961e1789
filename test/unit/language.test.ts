/** Which language a request's Accept-Language names first, as the Worker reads it to preload the page's texts. */
import { describe, expect, it } from "vitest";
import { acceptedTags, codeOf } from "../../src/shared/language";

describe("Accept-Language", () => {
	it("lists the tags most wanted first, ties in the order written", () => {
		expect(acceptedTags("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5")).toEqual(["fr-CH", "fr", "en", "de"]);
		expect(acceptedTags("en;q=0.5, ja")).toEqual(["ja", "en"]);
		expect(acceptedTags("de, es")).toEqual(["de", "es"]);
	});

	it("leaves out what is refused (q=0), the wildcard, and empty parts", () => {
		expect(acceptedTags("ja;q=0, , es ;q=0.3, *")).toEqual(["es"]);
	});

	it("is empty without a header", () => {
		expect(acceptedTags(null)).toEqual([]);
		expect(acceptedTags("")).toEqual([]);
	});

	it("compares languages by their code", () => {
		expect(["de-AT", "JA-jp", "en"].map(codeOf)).toEqual(["de", "ja", "en"]);
	});
});
