/**
 * "Copy link" beside a read-only link: the link onto the clipboard, the button saying so for a
 * moment. Where the browser refuses the clipboard, the link is selected for the person to copy.
 */
import { button } from "./dom";

const COPIED_SHOWN_MS = 2500;

export function copyButton(texts: { copyLink: string; copied: string }, link: HTMLInputElement): HTMLButtonElement {
	const copy: HTMLButtonElement = button(
		texts.copyLink,
		async () => {
			try {
				await navigator.clipboard.writeText(link.value);
				copy.textContent = texts.copied;
				setTimeout(() => (copy.textContent = texts.copyLink), COPIED_SHOWN_MS);
			} catch {
				link.select();
			}
		},
		{ class: "btn" },
	);
	return copy;
}
