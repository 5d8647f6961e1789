/**
 * "Ana is typing…" under the log: who has sent a typing signal in the last few seconds. A message
 * from them, or the seconds running out, takes them off it.
 */
import type { Actor } from "../../shared/protocol";
import type { Language } from "./i18n";

const TYPING_SHOWN_MS = 4000;

export class TypingLine {
	private readonly typers = new Map<string, { name: string; until: number }>();

	constructor(
		private readonly lang: Language,
		/** Where the line is drawn (the composer's). */
		private readonly target: HTMLElement,
	) {}

	typing(actor: Actor): void {
		this.typers.set(actor.id, { name: actor.name, until: Date.now() + TYPING_SHOWN_MS });
		this.render();
	}

	/** They sent something: no longer typing it. */
	sent(id: string): void {
		if (this.typers.delete(id)) this.render();
	}

	/** Once a second, while anyone is on the line. */
	tick(): void {
		if (this.typers.size > 0) this.render();
	}

	private render(): void {
		const now = Date.now();
		for (const [id, typer] of this.typers) if (typer.until <= now) this.typers.delete(id);
		const names = [...this.typers.values()].map((typer) => typer.name).join(", ");
		const text = names ? this.lang.t.typing(names) : "";
		if (this.target.textContent !== text) this.target.textContent = text;
	}
}
