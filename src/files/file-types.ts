/**
 * The file types a chat may carry, grouped the way a deployment allows them (FILE_TYPES). Each
 * entry says the one content type a file of it is stored and served with, whatever the sender
 * declared, and what its leading bytes must look like (detect.ts).
 */

export const FILE_GROUPS = ["image", "pdf", "text", "csv", "json", "office", "zip"] as const;
export type FileGroup = (typeof FILE_GROUPS)[number];

/**
 * How a type's content is recognised: `magic` by the detector's answer (one of `detected`);
 * `text` as UTF-8 without NUL bytes, which no detector names.
 */
export type ContentRule = { kind: "magic"; detected: readonly string[] } | { kind: "text" };

export interface FileType {
	group: FileGroup;
	contentType: string;
	extensions: readonly string[];
	/** Other types browsers and systems declare for the same files. */
	aliases: readonly string[];
	content: ContentRule;
	/** A raster image a browser may show inline once its bytes proved it is one. */
	preview: boolean;
}

const magic = (...detected: string[]): ContentRule => ({ kind: "magic", detected });
const TEXT: ContentRule = { kind: "text" };
// Office Open XML and OpenDocument files are zip archives: the detector names them when the
// telling entry is within the bytes it reads, and plain zip when it is further in.
const ooxml = (contentType: string) => magic(contentType, "application/zip");
const CFB = "application/x-cfb";

export const FILE_TYPES: readonly FileType[] = [
	{ group: "image", contentType: "image/png", extensions: ["png"], aliases: [], content: magic("image/png"), preview: true },
	{ group: "image", contentType: "image/jpeg", extensions: ["jpg", "jpeg"], aliases: ["image/pjpeg"], content: magic("image/jpeg"), preview: true },
	{ group: "image", contentType: "image/gif", extensions: ["gif"], aliases: [], content: magic("image/gif"), preview: true },
	{ group: "image", contentType: "image/webp", extensions: ["webp"], aliases: [], content: magic("image/webp"), preview: true },
	{ group: "image", contentType: "image/heic", extensions: ["heic", "heif"], aliases: ["image/heif"], content: magic("image/heic", "image/heif"), preview: false },
	{ group: "pdf", contentType: "application/pdf", extensions: ["pdf"], aliases: [], content: magic("application/pdf"), preview: false },
	{ group: "text", contentType: "text/plain", extensions: ["txt", "log"], aliases: [], content: TEXT, preview: false },
	{ group: "csv", contentType: "text/csv", extensions: ["csv"], aliases: ["application/vnd.ms-excel", "application/csv"], content: TEXT, preview: false },
	{ group: "json", contentType: "application/json", extensions: ["json"], aliases: ["text/json"], content: TEXT, preview: false },
	{
		group: "office",
		contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		extensions: ["docx"],
		aliases: [],
		content: ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
		preview: false,
	},
	{
		group: "office",
		contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		extensions: ["xlsx"],
		aliases: [],
		content: ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
		preview: false,
	},
	{
		group: "office",
		contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
		extensions: ["pptx"],
		aliases: [],
		content: ooxml("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
		preview: false,
	},
	{ group: "office", contentType: "application/vnd.oasis.opendocument.text", extensions: ["odt"], aliases: [], content: ooxml("application/vnd.oasis.opendocument.text"), preview: false },
	{
		group: "office",
		contentType: "application/vnd.oasis.opendocument.spreadsheet",
		extensions: ["ods"],
		aliases: [],
		content: ooxml("application/vnd.oasis.opendocument.spreadsheet"),
		preview: false,
	},
	// The older binary formats share one container (Compound File Binary), which is all the leading bytes say.
	{ group: "office", contentType: "application/msword", extensions: ["doc"], aliases: [], content: magic(CFB), preview: false },
	{ group: "office", contentType: "application/vnd.ms-excel", extensions: ["xls"], aliases: [], content: magic(CFB), preview: false },
	{ group: "office", contentType: "application/vnd.ms-powerpoint", extensions: ["ppt"], aliases: [], content: magic(CFB), preview: false },
	{ group: "zip", contentType: "application/zip", extensions: ["zip"], aliases: ["application/x-zip-compressed", "application/x-zip"], content: magic("application/zip"), preview: false },
];

/** What browsers declare when they do not know the type: the name and the bytes decide then. */
const UNDECLARED = new Set(["", "application/octet-stream"]);

export function extensionOf(name: string): string {
	const dot = name.lastIndexOf(".");
	return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
}

/**
 * The type a file is taken as, by its name's extension among the allowed groups, if the type it
 * was declared with agrees; null if the file may not be sent.
 */
export function typeForFile(name: string, declared: string, allowed: ReadonlySet<FileGroup>): FileType | null {
	const extension = extensionOf(name);
	const type = FILE_TYPES.find((t) => allowed.has(t.group) && t.extensions.includes(extension));
	if (!type) return null;
	const declaredType = declared.split(";")[0]?.trim().toLowerCase() ?? "";
	if (UNDECLARED.has(declaredType) || declaredType === type.contentType || type.aliases.includes(declaredType)) return type;
	return null;
}

/** The entry of a stored file's type, for the Worker's check of its first part. */
export function fileTypeOf(contentType: string): FileType {
	const type = FILE_TYPES.find((t) => t.contentType === contentType);
	if (!type) throw new Error(`no file type stores as ${contentType}`);
	return type;
}

/** The extensions a deployment accepts, for messages and the page's picker. */
export function allowedExtensions(allowed: ReadonlySet<FileGroup>): string[] {
	return FILE_TYPES.filter((t) => allowed.has(t.group)).flatMap((t) => t.extensions.map((e) => `.${e}`));
}
