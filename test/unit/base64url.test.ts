/** The base64url codec tokens are made and read with: every byte value through and back, and anything that is not base64url refused. */
import { describe, expect, it } from "vitest";
import { base64url, fromBase64url } from "../../src/security/random";

describe("base64url", () => {
	it("gives back every byte it was given, at every length's padding, with no padding written", () => {
		const all = Uint8Array.from({ length: 256 }, (_, i) => i);
		for (const length of [0, 1, 2, 3, 4, 255, 256]) {
			const bytes = all.slice(0, length);
			const text = base64url(bytes);
			expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
			expect(fromBase64url(text)).toEqual(bytes);
		}
		expect(base64url(Uint8Array.of(0xfb, 0xff))).toBe("-_8");
	});

	it("refuses text that is not base64url", () => {
		expect(fromBase64url("a+b/")).toBeNull();
		expect(fromBase64url("abc=")).toBeNull();
		// One character left over cannot be any whole byte.
		expect(fromBase64url("abcde")).toBeNull();
	});
});
