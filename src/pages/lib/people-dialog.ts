/**
 * "Devices and people in this chat": everyone in it with their presence (connected, idle, gone,
 * since when) and devices, the links handed out, and what the reader may do about them (the
 * session says: remove someone, revoke a link). For whoever may bring people in, the invite: a
 * name, the seed's warning that anyone who joins sees the case details, then the link to send.
 */
import type { Invitee, LinkView, People, PersonView } from "../../shared/api";
import { LinkMadeSchema, LinkViewSchema, PeopleSchema } from "../../shared/api";
import type { Role } from "../../shared/protocol";
import { presenceOf } from "../../shared/presence";
import * as z from "zod/mini";
import { ConfirmDialog } from "./confirm-dialog";
import { copyButton } from "./copy-button";
import { button, el, field, fill, uniqueId } from "./dom";
import { call } from "./http";
import type { Language } from "./i18n";

export interface PeopleDialogOptions {
	lang: Language;
	sessionId: string;
	token: string;
	me: string;
	/** Whom the reader may invite; empty for none. */
	invites: readonly Extract<Role, "member" | "specialist">[];
	/**
	 * For an agent: sending the invitee their own link by SMS or email (the console's forms), for
	 * whom the invite form says, or what it still lacks.
	 */
	sendLink?: (invitee: () => Invitee | { missing: string }, sent: () => void) => HTMLElement;
	/**
	 * For an agent: the console's address of this chat, to pass to another agent. It is no
	 * credential: it opens the chat only in a console signed in as an agent.
	 */
	agentLink?: string;
}

const RemovedSchema = z.object({ removed: z.string() });

/** The dialog, built when someone first opens it (people-action.ts), and how to open it. */
export function peopleDialog(options: PeopleDialogOptions): { dialog: HTMLDialogElement; open(): void } {
	const { lang, token } = options;
	const { t } = lang;
	const m = t.members;
	const titleId = uniqueId("people");
	const confirm = new ConfirmDialog(t.cancel);
	const list = el("ul", { class: "people-list", "aria-label": m.peopleTitle });
	const links = el("ul", { class: "link-list", "aria-label": m.links });
	const problem = el("p", { class: "form-error", role: "alert" });
	const invites = el("div", { class: "invites" });
	const sessionPath = () => `/api/sessions/${options.sessionId}`;

	async function refresh(): Promise<void> {
		const answer = await call(`${sessionPath()}/people`, PeopleSchema, { token });
		problem.textContent = answer.ok ? "" : m.cannotLoad;
		if (answer.ok) draw(answer.data);
	}

	function draw({ people, links: handedOut }: People): void {
		fill(list, ...people.map(personItem));
		fill(links, ...(handedOut.length === 0 ? [el("li", { class: "muted" }, m.noLinks)] : handedOut.map(linkItem)));
	}

	function personItem(person: PersonView): HTMLLIElement {
		const presence = presenceOf(person, Date.now());
		const state = person.removed ? m.removedTag : presence.since === null ? m.presence[presence.state] : m.presenceSince(m.presence[presence.state], lang.format.when(presence.since));
		const name = person.id === options.me ? `${person.name} ${m.you}` : person.name;
		const remove = person.removable
			? button(m.remove, () => confirm.ask(m.confirmRemove(person.name), m.remove, () => void act(`${sessionPath()}/people/${encodeURIComponent(person.id)}/remove`, RemovedSchema)), {
					class: "btn btn-quiet btn-small",
					"aria-label": m.removeLabel(person.name),
				})
			: null;
		return el(
			"li",
			{ class: `people-item presence-${person.removed ? "removed" : presence.state}`, "data-person": person.id },
			el("div", { class: "people-head" }, el("span", { class: "person-name", dir: "auto" }, name), el("span", { class: "person-role" }, t.roles[person.role]), remove),
			el("p", { class: "people-state" }, state),
			el("ul", { class: "device-list" }, ...person.devices.map((d) => el("li", {}, `${m.via[d.via]} · ${lang.format.when(d.since)}${d.online ? ` · ${m.presence.connected}` : ""}`))),
		);
	}

	function linkItem(link: LinkView): HTMLLIElement {
		const what = link.kind === "invite" ? m.linkFor(link.name) : m.deviceLinkOf(link.name);
		const state = link.state === "live" ? m.linkUntil(lang.format.when(link.expiresAt)) : link.state === "revoked" ? m.linkRevoked : m.linkExpired;
		const revoke = link.revocable ? button(m.revoke, () => void act(`${sessionPath()}/links/${link.linkId}/revoke`, LinkViewSchema), { class: "btn btn-quiet btn-small", "aria-label": m.revokeLabel(what) }) : null;
		return el("li", { class: `link-item link-${link.state}` }, el("span", { dir: "auto" }, what), el("span", { class: "muted" }, state), revoke);
	}

	async function act<T>(path: string, schema: z.ZodMiniType<T>): Promise<void> {
		const answer = await call(path, schema, { method: "POST", token });
		problem.textContent = answer.ok ? "" : answer.error;
		await refresh();
	}

	const dialog = el(
		"dialog",
		{ class: "dialog people-dialog", "aria-labelledby": titleId },
		el("h2", { id: titleId }, m.peopleTitle),
		problem,
		list,
		el("h3", {}, m.links),
		links,
		invites,
		el("form", { method: "dialog", class: "dialog-actions" }, el("button", { class: "btn btn-primary" }, t.close)),
		confirm.root,
	);
	return {
		dialog,
		open() {
			// The invite, with its warning, is drawn when someone opens this: the page itself speaks only of the chat link.
			if (!invites.hasChildNodes() && options.invites.length > 0) fill(invites, inviteForm(options, refresh));
			dialog.showModal();
			void refresh();
		},
	};
}

/** Inviting someone: who, the warning, then their link, shown once to copy. */
function inviteForm(options: PeopleDialogOptions, made: () => Promise<void>): HTMLElement {
	const { lang, token, agentLink } = options;
	const { t } = lang;
	const m = t.members;
	const name = el("input", { type: "text", maxlength: 120, autocomplete: "off" });
	const error = el("p", { class: "form-error", role: "alert" });
	const result = el("div", { class: "invite-result" });
	// One form whoever is invited: an agent says whether it is a colleague of the customer's, a specialist or another agent.
	const choices = [...options.invites, ...(agentLink === undefined ? [] : (["agent"] as const))];
	const [only] = choices;
	const roles = el("select", {}, ...choices.map((role) => el("option", { value: role }, m.asRole[role])));
	const roleOf = () => (roles.value === "specialist" ? "specialist" : "member");
	const title = choices.length > 1 ? m.inviteSomeone : only === "specialist" ? m.inviteSpecialist : m.inviteColleague;
	const nameField = field(m.theirName, name);
	const sends = options.sendLink?.(
		() => (name.value.trim() ? { role: roleOf(), name: name.value.trim() } : { missing: m.needsName }),
		() => void made(),
	);
	// Another agent needs no name or message: they come in from their console, as themselves.
	roles.addEventListener("change", () => {
		const toAgent = roles.value === "agent";
		nameField.hidden = toAgent;
		if (sends) sends.hidden = toAgent;
		fill(result);
		error.textContent = "";
	});
	const form = el(
		"form",
		{ class: "invite-form", "aria-label": title },
		el("h3", {}, title),
		el("p", { class: "invite-warning", role: "note" }, m.caseWarning),
		el("p", { class: "muted" }, m.inviteIntro),
		choices.length > 1 ? field(m.joinsAs, roles) : null,
		nameField,
		error,
		el("div", { class: "dialog-actions" }, el("button", { type: "submit", class: "btn" }, m.createLink)),
		result,
		sends,
	);
	function show(url: string, note: string): void {
		const link = el("input", { class: "invite-link", readonly: true, value: url, "aria-label": m.inviteLinkLabel, spellcheck: "false" });
		fill(result, el("p", { class: "muted" }, note), el("div", { class: "invite-link-row" }, link, copyButton(t, link)));
	}
	form.addEventListener("submit", (event) => {
		event.preventDefault();
		if (roles.value === "agent" && agentLink !== undefined) return show(agentLink, m.agentLinkReady);
		const who = name.value.trim();
		if (!who) {
			error.textContent = m.needsName;
			return;
		}
		void (async () => {
			const answer = await call(`/api/sessions/${options.sessionId}/links`, LinkMadeSchema, { method: "POST", token, body: { kind: "invite", role: roleOf(), name: who } });
			if (!answer.ok) {
				error.textContent = answer.error;
				return;
			}
			error.textContent = "";
			name.value = "";
			show(answer.data.url, m.linkReady(lang.format.when(answer.data.link.expiresAt)));
			await made();
		})();
	});
	return form;
}
