/**
 * Which Durable Objects are alive in a Worker's isolate, read from a V8 heap snapshot: workerd
 * shows each object as a native `workerd / DurableObjectBase` node, whose JavaScript wrapper is
 * the instance of the Worker's class. An object the runtime has evicted (hibernated) is gone
 * from the heap, since V8 collects garbage before it writes a snapshot. This lets the benchmark
 * see the chat's objects hibernate without asking them anything, which would wake them.
 */
import { z } from "zod";
import { parseJsonAs } from "../src/shared/json";

const DURABLE_OBJECT_NODE = "workerd / DurableObjectBase";

const SnapshotSchema = z.object({
	snapshot: z.object({
		meta: z.object({
			node_fields: z.array(z.string()),
			node_types: z.tuple([z.array(z.string())], z.unknown()),
			edge_fields: z.array(z.string()),
			edge_types: z.tuple([z.array(z.string())], z.unknown()),
		}),
	}),
	nodes: z.array(z.number()),
	edges: z.array(z.number()),
	strings: z.array(z.string()),
});

/** Edges whose name field is a number rather than an index into the strings. */
const NUMBERED_EDGES = new Set(["element", "hidden"]);

/** Where three fields sit in a record of `fields`; null if one is missing. */
function offsets(fields: string[], a: string, b: string, c: string): [number, number, number] | null {
	const found: [number, number, number] = [fields.indexOf(a), fields.indexOf(b), fields.indexOf(c)];
	return found.every((i) => i >= 0) ? found : null;
}

/**
 * Instances of `className` alive in the snapshot; null when the text is not a snapshot of the
 * shape this reads (another V8 or workerd may write it differently). The class is matched by
 * its name as bundled: wrangler.toml's `keep_names = false` lets esbuild rename a class only when
 * two share a name.
 */
export function countLiveObjects(json: string, className: string): number | null {
	const parsed = parseJsonAs(SnapshotSchema, json);
	if (!parsed) return null;
	const { snapshot, nodes, edges, strings } = parsed;
	const [nodeTypes] = snapshot.meta.node_types;
	const [edgeTypes] = snapshot.meta.edge_types;
	const nodeAt = offsets(snapshot.meta.node_fields, "type", "name", "edge_count");
	const edgeAt = offsets(snapshot.meta.edge_fields, "type", "name_or_index", "to_node");
	if (!nodeAt || !edgeAt) return null;
	const [typeAt, nameAt, edgeCountAt] = nodeAt;
	const [edgeTypeAt, edgeNameAt, toNodeAt] = edgeAt;
	const nodeWidth = snapshot.meta.node_fields.length;
	const edgeWidth = snapshot.meta.edge_fields.length;
	// Node and edge references are offsets into these arrays, as V8's to_node is.
	const nodeField = (node: number, at: number) => nodes[node + at] ?? -1;
	const edgeField = (edge: number, at: number) => edges[edge + at] ?? -1;

	// A node's edges follow those of every node before it.
	const firstEdge = new Float64Array(Math.ceil(nodes.length / nodeWidth));
	for (let node = 0, edge = 0; node < nodes.length; node += nodeWidth) {
		firstEdge[node / nodeWidth] = edge;
		edge += nodeField(node, edgeCountAt) * edgeWidth;
	}
	/** The node that `node`'s edge called `name` leads to. */
	const follow = (node: number | null, name: string): number | null => {
		if (node === null) return null;
		const start = firstEdge[node / nodeWidth] ?? 0;
		const end = start + nodeField(node, edgeCountAt) * edgeWidth;
		for (let edge = start; edge < end; edge += edgeWidth) {
			const type = edgeTypes[edgeField(edge, edgeTypeAt)];
			if (type !== undefined && !NUMBERED_EDGES.has(type) && strings[edgeField(edge, edgeNameAt)] === name) return edgeField(edge, toNodeAt);
		}
		return null;
	};

	let count = 0;
	for (let node = 0; node < nodes.length; node += nodeWidth) {
		if (nodeTypes[nodeField(node, typeAt)] !== "native" || strings[nodeField(node, nameAt)] !== DURABLE_OBJECT_NODE) continue;
		// The instance, its prototype, and the class that made it.
		const constructor = follow(follow(follow(node, "native_to_javascript"), "__proto__"), "constructor");
		if (constructor !== null && strings[nodeField(constructor, nameAt)] === className) count += 1;
	}
	return count;
}
