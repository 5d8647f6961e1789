/**
 * What deciding a command takes and gives: the commands a session knows (a frame or an RPC call,
 * translated), the view of the session a decision reads, and the decision itself, which the
 * object applies in one SQLite step (session-store.ts) and then tells the sockets of.
 */
import type { Actor, ErrorCode, EventBody, ServerFrame } from "../shared/protocol";
import type { Refusal } from "../shared/refusals";
import type { EndRequest, MemberFacts } from "./contract";
import type { DeviceGrant } from "./devices";
import type { SessionRecord } from "./session-record";
import type { TransferCommand } from "./transfer";
import type { FileCommand, FileEffectIntent } from "./file-commands";
import type { MemberChanges, MemberCommand } from "./member-commands";

export type Command =
	/** Members, links and revisions (member-commands.ts). */
	| MemberCommand
	/** `deviceId`: a fresh id for the device being let in, signed into its participant token. */
	/** `link`: for a join by link, whether it is the current one or one reissued since (the Worker checked it is genuine). */
	| { type: "admit_customer"; via: "key" | "link"; deviceId: string; link: "current" | "replaced" | null }
	| { type: "admit_agent"; deviceId: string }
	/** `rateOk` and `resendOf` are what the object knows of the sender's pace and earlier use of the id. */
	| { type: "message"; clientId: string; text: string; rateOk: boolean; resendOf: number | null }
	| { type: "typing"; throttled: boolean }
	| { type: "read"; seq: number }
	| { type: "leave" }
	/** `cascade`: a resolve also ends the case's other live sessions (false when the whole case is being resolved already). */
	| { type: "end"; reason: EndRequest; cascade: boolean }
	/** An agent reissues the invite link with a new secret from the Worker. */
	| { type: "reissue_link"; secret: string }
	/** A newer session of the case replaced this one's support key. */
	| { type: "retire" }
	| { type: "note"; body: EventBody }
	/** Posting a file, a scanner's verdict, discarding an upload (file-commands.ts). */
	| FileCommand
	/** Nothing but time passing: the alarm, or any use, applies the deadlines that are due. */
	| { type: "tick" }
	/** Handing the chat to another agent or back to the queue (transfer.ts). */
	| TransferCommand;

export interface SessionView {
	record: SessionRecord;
	members: ReadonlyMap<string, MemberFacts>;
	lastSeq: number;
	/** Who was removed from the chat: nothing lets them back in. */
	removed?: ReadonlySet<string>;
}

/** Files' effects carry what they act on (file-commands.ts); the others are built from the change (effects.ts). */
export type EffectIntent = "report" | "transcript" | "resolve_case" | FileEffectIntent | "transfer_offer";

export interface Decision {
	record: SessionRecord;
	enter: Actor[];
	leave: string[];
	/** Devices let in, and participants whose devices are all revoked. */
	devices: DeviceGrant[];
	revokeDevicesOf: string[];
	/** Devices that came in by an invite link older than this generation are revoked. */
	revokeLinksBefore: number | null;
	read: { participantId: string; seq: number } | null;
	/** `withheld`: kept from the agent side (strict recording, nobody of theirs there). */
	events: Array<{ body: EventBody; actor: Actor | null; withheld?: boolean }>;
	effects: Set<EffectIntent>;
	/** Sockets to close: one participant's, or everyone's (null); `notice`, an error frame they get first. */
	close: Array<{ participantId: string | null; code: number; reason: string; notice?: string }>;
	/** Frames that are not events (typing, read positions), to everyone but, where said, the sender. */
	signals: Array<{ frame: ServerFrame; exceptSender: boolean }>;
	/** Why an admission is refused. */
	refusal: Refusal | null;
	/** Why a frame is refused, told to the sender alone. */
	error: { code: ErrorCode; message: string; clientId?: string } | null;
	/** A message already stored under this id: acknowledged again, not stored again. */
	repeatOf: number | null;
	statusChanged: boolean;
	/** What members, links and revisions change, if anything (member-commands.ts). */
	members?: MemberChanges;
}

/** A decision that changes nothing yet: what every draft starts from (commands.ts). */
export function noChanges(): Omit<Decision, "record" | "statusChanged"> {
	return { enter: [], leave: [], devices: [], revokeDevicesOf: [], revokeLinksBefore: null, read: null, events: [], effects: new Set(), close: [], signals: [], refusal: null, error: null, repeatOf: null };
}
