/**
 * A QR code of a link as an SVG drawn from DOM nodes. The code itself comes from
 * qrcode-generator; this module is loaded only when someone asks for it, so the page's first
 * load does not carry it.
 */
import qrcode from "qrcode-generator";

const SVG = "http://www.w3.org/2000/svg";
/** The blank border a scanner needs around the code, in modules. */
const QUIET = 4;

export function qrSvg(text: string, label: string): SVGSVGElement {
	const code = qrcode(0, "M");
	code.addData(text);
	code.make();
	const count = code.getModuleCount();
	const size = count + 2 * QUIET;
	let path = "";
	for (let row = 0; row < count; row++) for (let col = 0; col < count; col++) if (code.isDark(row, col)) path += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
	const svg = document.createElementNS(SVG, "svg");
	svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
	svg.setAttribute("role", "img");
	svg.setAttribute("aria-label", label);
	svg.setAttribute("class", "qr-code");
	svg.setAttribute("shape-rendering", "crispEdges");
	const background = document.createElementNS(SVG, "rect");
	background.setAttribute("width", String(size));
	background.setAttribute("height", String(size));
	background.setAttribute("fill", "#fff");
	const modules = document.createElementNS(SVG, "path");
	modules.setAttribute("d", path);
	modules.setAttribute("fill", "#000");
	svg.append(background, modules);
	return svg;
}
