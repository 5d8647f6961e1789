/**
 * How the customer gets into a session: by the support key the directory found, by the invite
 * link or one the session made since (a colleague's, another device's), and for an invite link's
 * join socket (routes/join.ts) admitted, answered and upgraded in one call.
 */
import type { Config } from "../config";
import { answerFrame, refusedOnSocket } from "../http/join-frame";
import { joined } from "../security/join-answer";
import { randomId128, secretsEqual } from "../security/random";
import type { Actor } from "../shared/protocol";
import { REFUSALS } from "../shared/refusals";
import type { Admission, CustomerProof } from "./contract";
import { CUSTOMER_ID } from "./contract";
import type { MemberDoor } from "./member-door";
import type { SessionCore } from "./session-core";
import type { SocketDoor } from "./socket-door";

export class CustomerDoor {
	constructor(
		private readonly core: SessionCore,
		private readonly members: MemberDoor,
		private readonly sockets: SocketDoor,
		private readonly config: () => Config,
	) {}

	async admit(proof: CustomerProof): Promise<Admission> {
		const record = this.core.record;
		if (!record) return { ok: false, reason: "unknown" };
		const byLink = "inviteSecret" in proof;
		// The Worker checked the link's MAC, so it was issued for this session: a secret that is not the current one was reissued since.
		const current = byLink && (await secretsEqual(proof.inviteSecret, record.inviteSecret));
		// …or it is one of the links the session made since (a colleague's, another device's).
		const link = byLink && !current ? await this.members.findLink(proof.inviteSecret) : null;
		if (link && byLink) return this.members.admitByLink(link, proof.inviteSecret, randomId128());
		const actor: Actor = { id: CUSTOMER_ID, role: "customer", name: record.customerName };
		const deviceId = randomId128();
		const decision = this.core.execute(actor, { type: "admit_customer", via: byLink ? "link" : "key", deviceId, link: byLink ? (current ? "current" : "replaced") : null });
		return this.core.admission(decision, actor, deviceId);
	}

	/**
	 * An invite link's join socket: the Worker checked the link's MAC, so only the secret is left to
	 * compare. Its answer is the socket's first frame, as POST /api/join would have given it.
	 */
	async joinByLink(request: Request, secret: string): Promise<Response> {
		const admission = await this.admit({ inviteSecret: secret });
		if (!admission.ok) {
			const refusal = REFUSALS[admission.reason];
			return refusedOnSocket(Response.json({ error: refusal.error }, { status: refusal.status }));
		}
		const answer = await joined(this.config(), request.url, admission);
		return this.sockets.upgrade(request, { ...admission.actor, deviceId: admission.deviceId }, answerFrame(200, answer));
	}
}
