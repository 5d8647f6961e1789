/** A modal question with Cancel and one action, asked before anything that cannot be undone. */
import { el } from "./dom";

export class ConfirmDialog {
	readonly root: HTMLDialogElement;
	private readonly text = el("p", { class: "dialog-text" });
	private readonly confirmButton = el("button", { value: "ok", class: "btn btn-primary" });
	private action: (() => void) | null = null;

	constructor(cancelLabel: string) {
		this.root = el(
			"dialog",
			{ class: "dialog" },
			el("form", { method: "dialog" }, this.text, el("div", { class: "dialog-actions" }, el("button", { value: "cancel", class: "btn btn-quiet" }, cancelLabel), this.confirmButton)),
		);
		this.root.addEventListener("close", () => {
			if (this.root.returnValue === "ok") this.action?.();
			this.action = null;
		});
	}

	ask(question: string, confirmLabel: string, action: () => void): void {
		this.text.textContent = question;
		this.confirmButton.textContent = confirmLabel;
		this.action = action;
		this.root.returnValue = "";
		this.root.showModal();
	}
}
