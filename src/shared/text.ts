/**
 * What text people type may contain, checked at every edge (HTTP bodies and chat frames) and
 * refused, never silently altered: a stored string is exactly what the sender sent.
 *
 * - Valid Unicode only: a lone surrogate (JSON can carry one as `"\ud800"`) would be turned into
 *   U+FFFD by whatever encodes it next, so the same text would read differently in different places.
 * - No C0 or C1 control characters: NUL, ESC, BEL and CR mean nothing in a chat and can drive a
 *   terminal that shows a transcript or a log. Messages keep newline and tab; one-line fields
 *   (a subject, a name) keep neither.
 * - No bidirectional embeddings, overrides or isolates (U+202A–U+202E, U+2066–U+2069): they
 *   reorder the characters around them ("Trojan Source"), so a name could be shown as another.
 *   Right-to-left text needs none of them; the marks LRM, RLM and ALM stay allowed.
 */
// zod/mini, as in protocol.ts: the browser pages bundle this module.
import * as z from "zod/mini";

/** Every C0 and C1 control character and DEL. */
const LINE_CONTROLS = /[\u0000-\u001F\u007F-\u009F]/;
/** The same, less tab (U+0009) and newline (U+000A). */
const PARAGRAPH_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

const TEXT_PROBLEMS = {
	surrogate: "not valid Unicode (a lone surrogate)",
	control: "control characters are not allowed",
	bidi: "bidirectional override characters (U+202A–U+202E, U+2066–U+2069) are not allowed",
} as const;

/** The checks for a text field: `line` for subjects and names, `paragraph` for messages. */
export function textChecks(kind: "line" | "paragraph") {
	const controls = kind === "line" ? LINE_CONTROLS : PARAGRAPH_CONTROLS;
	return [
		z.refine<string>((text) => text.isWellFormed(), TEXT_PROBLEMS.surrogate),
		z.refine<string>((text) => !controls.test(text), TEXT_PROBLEMS.control),
		z.refine<string>((text) => !BIDI_CONTROLS.test(text), TEXT_PROBLEMS.bidi),
	];
}
