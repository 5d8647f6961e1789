/**
 * The case card's "People and devices" button. The dialog it opens (people-dialog.ts) is fetched
 * on the first click, not with the page: most people never open it (the JavaScript budget).
 */
import { button, el } from "./dom";
import type { PeopleDialogOptions } from "./people-dialog";

export function peopleAction(options: PeopleDialogOptions): HTMLElement {
	const m = options.lang.t.members;
	const root = el("span", { class: "people-action" });
	let opened: Promise<{ open(): void }> | null = null;
	// On the narrowest screens the button says only "People", which its name begins with.
	const open = button(
		"",
		() => {
			opened ??= import("./people-dialog").then(
				({ peopleDialog }) => {
					const made = peopleDialog(options);
					root.append(made.dialog);
					return made;
				},
				(error: unknown) => {
					// Offline for a moment: the next click tries again.
					opened = null;
					throw error;
				},
			);
			void opened.then((made) => made.open());
		},
		{ class: "btn-link people-open", "aria-label": m.people },
	);
	open.append(el("span", { class: "label-long" }, m.people), el("span", { class: "label-short" }, m.peopleShort));
	root.append(open);
	return root;
}
