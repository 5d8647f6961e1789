/**
 * The pages' texts about files, per language, kept beside the main catalogues (strings/) so that
 * files come as one piece. Keyed like i18n.ts's catalogue; English where a language is missing.
 */
export interface FileStrings {
	attach: string;
	sent: (name: string, file: string) => string;
	checking: string;
	released: string;
	blocked: string;
	download: string;
	uploading: (percent: number) => string;
	cancel: string;
	failed: (why: string) => string;
}

const en: FileStrings = {
	attach: "Attach a file",
	sent: (name, file) => `${name} sent ${file}`,
	checking: "Checking…",
	released: "A file was checked and released",
	blocked: "A file was blocked by the virus check",
	download: "Download",
	uploading: (percent) => `Uploading… ${percent}%`,
	cancel: "Cancel",
	failed: (why) => `The file was not sent: ${why}`,
};

const CATALOG: Record<string, FileStrings> = {
	en,
	de: {
		attach: "Datei anhängen",
		sent: (name, file) => `${name} hat ${file} gesendet`,
		checking: "Wird geprüft…",
		released: "Eine Datei wurde geprüft und freigegeben",
		blocked: "Eine Datei wurde von der Virenprüfung gesperrt",
		download: "Herunterladen",
		uploading: (percent) => `Wird hochgeladen… ${percent} %`,
		cancel: "Abbrechen",
		failed: (why) => `Die Datei wurde nicht gesendet: ${why}`,
	},
	es: {
		attach: "Adjuntar un archivo",
		sent: (name, file) => `${name} envió ${file}`,
		checking: "Comprobando…",
		released: "Se comprobó y liberó un archivo",
		blocked: "La comprobación de virus bloqueó un archivo",
		download: "Descargar",
		uploading: (percent) => `Subiendo… ${percent} %`,
		cancel: "Cancelar",
		failed: (why) => `El archivo no se envió: ${why}`,
	},
	fr: {
		attach: "Joindre un fichier",
		sent: (name, file) => `${name} a envoyé ${file}`,
		checking: "Vérification…",
		released: "Un fichier a été vérifié et libéré",
		blocked: "Un fichier a été bloqué par l'antivirus",
		download: "Télécharger",
		uploading: (percent) => `Envoi… ${percent} %`,
		cancel: "Annuler",
		failed: (why) => `Le fichier n'a pas été envoyé : ${why}`,
	},
	ja: {
		attach: "ファイルを添付",
		sent: (name, file) => `${name} が ${file} を送信しました`,
		checking: "確認中…",
		released: "ファイルが確認され、公開されました",
		blocked: "ファイルがウイルスチェックでブロックされました",
		download: "ダウンロード",
		uploading: (percent) => `アップロード中… ${percent}%`,
		cancel: "キャンセル",
		failed: (why) => `ファイルは送信されませんでした: ${why}`,
	},
};

export function fileStrings(tag: string): FileStrings {
	return CATALOG[tag.toLowerCase().split("-")[0] ?? ""] ?? en;
}
