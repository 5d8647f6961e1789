/**
 * Building the pages' DOM. Text goes in as text nodes, never as HTML, so whatever a user typed
 * is shown exactly as typed and can never become markup or script.
 */
export type Child = Node | string | null | undefined | false;
export type Attributes = Record<string, string | number | boolean | null | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
	const node = document.createElement(tag);
	setAttributes(node, attributes);
	append(node, ...children);
	return node;
}

function setAttributes(node: Element, attributes: Attributes): void {
	for (const [name, value] of Object.entries(attributes)) {
		if (value === false || value === null || value === undefined) node.removeAttribute(name);
		else node.setAttribute(name, value === true ? "" : String(value));
	}
}

function append(node: Node & ParentNode, ...children: Child[]): void {
	for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
}

/** Replaces everything inside `node`. */
export function fill(node: Node & ParentNode, ...children: Child[]): void {
	node.replaceChildren();
	append(node, ...children);
}

export function button(label: string, onClick: (event: MouseEvent) => void, attributes: Attributes = {}): HTMLButtonElement {
	const node = el("button", { type: "button", ...attributes }, label);
	node.addEventListener("click", onClick);
	return node;
}

let ids = 0;
/** An id for tying a label or description to its control. */
export function uniqueId(prefix: string): string {
	ids += 1;
	return `${prefix}-${ids}`;
}

/** A labelled form field; the hint, if any, is announced with the control. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLDivElement {
	control.id ||= uniqueId("field");
	const hintNode = hint ? el("p", { class: "field-hint", id: `${control.id}-hint` }, hint) : null;
	if (hintNode) control.setAttribute("aria-describedby", hintNode.id);
	return el("div", { class: "field" }, el("label", { for: control.id }, label), control, hintNode);
}
