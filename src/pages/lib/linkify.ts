/**
 * Message text with its http(s) addresses as links. Built from DOM nodes, never HTML: the text
 * around a link stays text, and a link's address is exactly what was typed.
 */
import { el } from "./dom";

const ADDRESS = /https?:\/\/[^\s<>"]+/giu;
/** Punctuation that ends a sentence rather than the address ("see https://x.org/a."). */
const TRAILING = /[.,;:!?')\]]+$/u;

export function linkified(text: string): (Node | string)[] {
	const parts: (Node | string)[] = [];
	let from = 0;
	for (const match of text.matchAll(ADDRESS)) {
		const address = match[0].replace(TRAILING, "");
		if (!isWebAddress(address)) continue;
		parts.push(text.slice(from, match.index));
		parts.push(el("a", { href: address, target: "_blank", rel: "noopener noreferrer" }, address));
		from = match.index + address.length;
	}
	parts.push(text.slice(from));
	return parts.filter((part) => part !== "");
}

function isWebAddress(address: string): boolean {
	try {
		const url = new URL(address);
		return url.protocol === "http:" || url.protocol === "https:";
	} catch {
		return false;
	}
}
