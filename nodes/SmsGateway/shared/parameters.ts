import type { IDataObject, IExecuteFunctions, IGetNodeParameterOptions, INodeExecutionData } from 'n8n-workflow';

/**
 * Parameter (and credential) reading for operations that go over thousands of items at once (bulk sending).
 *
 * Measured in n8n 2.40 with 2,000 items (bench/, README "Performance"): reading the parameters
 * cost far more than checking the numbers and sending the requests together. Every
 * `getNodeParameter` call resolves the value from scratch, and an expression such as
 * `{{ $json.phone }}` is evaluated in n8n's sandbox (isolated-vm on 2.x), some hundred
 * microseconds per call. Two kinds of parameter make most of that work repeated:
 *
 * - Constants (no expression anywhere in the value: a device, a sender, an options collection, a
 *   text without `{{ }}`): the result is the same for every item, so it is resolved once.
 * - Expressions that only read fields of the item, as n8n's drag-and-drop mapping writes them
 *   (`{{ $json.phone }}`, `Hi {{ $json.firstName }}!`, `{{ $json['first name'] }}`): `$json` is
 *   the input item's json (n8n's WorkflowDataProxy), so the value is read from the item directly.
 *   Only strings are taken this way (and numbers where the expression is the whole value, which
 *   n8n returns unchanged); any other result — a missing field, an object, null — and every other
 *   expression go through n8n as before, so errors and conversions stay n8n's own.
 *
 * What n8n itself returns for such reads is pinned by test/unit/parameters.test.ts (against
 * n8n-workflow's expression engine) and by the e2e suite, whose bulk examples check the texts and
 * numbers that reach the simulator from real n8n 2.x and 1.x. (Checking the first item against
 * n8n at run time was tried: each first evaluation of an expression costs n8n 15–40 ms, as much
 * as sending a whole batch.) Constant results are shared between items: callers treat them as
 * read-only.
 */

type Segment = { text: string } | { path: string[] };

interface Plan {
	kind: 'constant' | 'fields' | 'n8n';
	/** Constant: the value n8n resolved (for the fallback and options it was asked with). */
	value?: unknown;
	/** Fields: the template, text and field reads in order. */
	segments?: Segment[];
}

/** Property names a field read never follows: they do not hold item data. */
const UNSAFE_NAMES = new Set(['__proto__', 'prototype', 'constructor']);

const IDENTIFIER = /^[A-Za-z_$][\w$]*/;
const QUOTED = /^\[\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\]/;

/** `$json.a.b` / `$json['a b']` → ['a', 'b'] / ['a b']; anything else (calls, operators…) → undefined. */
export function parseFieldRead(code: string): string[] | undefined {
	let rest = code.trim();
	if (!rest.startsWith('$json')) return undefined;
	rest = rest.slice('$json'.length);
	const path: string[] = [];
	while (rest !== '') {
		let name: string;
		if (rest.startsWith('.')) {
			const match = IDENTIFIER.exec(rest.slice(1));
			if (!match) return undefined;
			name = match[0];
			rest = rest.slice(1 + name.length);
		} else {
			const match = QUOTED.exec(rest);
			if (!match) return undefined;
			name = match[1] ?? match[2];
			rest = rest.slice(match[0].length);
		}
		if (UNSAFE_NAMES.has(name)) return undefined;
		path.push(name);
	}
	return path.length > 0 ? path : undefined;
}

/**
 * An n8n expression value (`=…`) as text and field reads, when it is nothing else. Text between
 * the `{{ }}` may not hold braces or backslashes (n8n's template rules for those are left to n8n).
 */
export function parseFieldTemplate(raw: string): Segment[] | undefined {
	if (!raw.startsWith('=')) return undefined;
	const source = raw.slice(1);
	const segments: Segment[] = [];
	let position = 0;
	while (position < source.length) {
		const open = source.indexOf('{{', position);
		const text = source.slice(position, open === -1 ? source.length : open);
		if (/[{}\\]/.test(text)) return undefined;
		if (text !== '') segments.push({ text });
		if (open === -1) break;
		const close = source.indexOf('}}', open + 2);
		if (close === -1) return undefined;
		const path = parseFieldRead(source.slice(open + 2, close));
		if (!path) return undefined;
		segments.push({ path });
		position = close + 2;
	}
	return segments.some((segment) => 'path' in segment) ? segments : undefined;
}

const NOT_FAST = Symbol('not fast');

function readPath(json: IDataObject | undefined, path: string[]): unknown {
	let value: unknown = json;
	for (const name of path) {
		if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, name)) return NOT_FAST;
		value = (value as IDataObject)[name];
	}
	return value;
}

/** The template's value for one item, or NOT_FAST when n8n has to decide (see above). */
function render(segments: Segment[], json: IDataObject | undefined): unknown {
	if (segments.length === 1 && 'path' in segments[0]) {
		// The whole value is one expression: n8n hands back the field's value unchanged.
		const value = readPath(json, segments[0].path);
		return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : NOT_FAST;
	}
	let out = '';
	for (const segment of segments) {
		if ('text' in segment) {
			out += segment.text;
			continue;
		}
		const value = readPath(json, segment.path);
		if (typeof value !== 'string') return NOT_FAST;
		out += value;
	}
	return out;
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * A view of `ctx` for a bulk send: `getNodeParameter` plans each parameter once (constant, field
 * reads, or n8n) and then answers per item from the plan; `getCredentials` is asked of n8n once per
 * credential type. Everything else is `ctx` itself.
 */
export function withBulkParameters(ctx: IExecuteFunctions, items: INodeExecutionData[]): IExecuteFunctions {
	// The usual call (no options, a plain fallback) is looked up by name, then by the fallback value
	// itself: it happens several times per item, and building a text key for it cost more than the
	// rest of the lookup (~0.4 µs a call against ~0.03 µs, measured on their own). Other calls are
	// keyed by their JSON.
	const plainPlans = new Map<string, Map<unknown, Plan>>();
	const otherPlans = new Map<string, Plan>();

	const original = ctx.getNodeParameter.bind(ctx) as (name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions) => unknown;

	function plan(name: string, fallback: unknown, options: IGetNodeParameterOptions | undefined): Plan {
		let raw: unknown;
		try {
			raw = original(name, 0, fallback, { rawExpressions: true });
		} catch {
			return { kind: 'n8n' };
		}
		if (!holdsExpression(raw)) {
			// Resolved by n8n once, with item 0; a failure is left to the per-item calls, so the
			// error names the right item.
			try {
				return { kind: 'constant', value: original(name, 0, fallback, options) };
			} catch {
				return { kind: 'n8n' };
			}
		}
		// Options such as extractValue or ensureType change the result: those stay with n8n.
		const segments = typeof raw === 'string' && options === undefined ? parseFieldTemplate(raw) : undefined;
		return segments ? { kind: 'fields', segments } : { kind: 'n8n' };
	}

	const getNodeParameter = (name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions): unknown => {
		let chosen: Plan | undefined;
		if (options === undefined && (fallback === null || typeof fallback !== 'object')) {
			let byFallback = plainPlans.get(name);
			if (!byFallback) plainPlans.set(name, (byFallback = new Map()));
			chosen = byFallback.get(fallback);
			if (!chosen) byFallback.set(fallback, (chosen = plan(name, fallback, options)));
		} else {
			const key = JSON.stringify([name, fallback ?? null, options ?? null]);
			chosen = otherPlans.get(key);
			if (!chosen) otherPlans.set(key, (chosen = plan(name, fallback, options)));
		}
		if (chosen.kind === 'constant') return chosen.value;
		if (chosen.kind === 'fields') {
			const fast = render(chosen.segments!, items[itemIndex]?.json);
			if (fast !== NOT_FAST) return fast;
		}
		return original(name, itemIndex, fallback, options);
	};

	// Credentials, once per type for the whole bulk send. Every request asked for them twice — the
	// provider's transport (base URL, secrets to redact) and n8n's httpRequestWithAuthentication,
	// which calls `this.getCredentials` on the context it is given (this one) — and each time n8n
	// reads the database and decrypts: the largest cost per request after the network (bench/).
	// One node run sends with one credential anyway (a batch of many items is one request), and a
	// token that pre-authentication writes into the shared object serves the following requests.
	const credentials = new Map<string, Promise<unknown>>();
	const getCredentials = async (type: string, itemIndex?: number): Promise<unknown> => {
		let shared = credentials.get(type);
		if (!shared) {
			shared = (ctx.getCredentials as (type: string, itemIndex?: number) => Promise<unknown>).call(ctx, type, itemIndex);
			credentials.set(type, shared);
			// A failure is not kept: the next request asks n8n again and gets its own error.
			void shared.catch(() => credentials.delete(type));
		}
		return await shared;
	};

	// A Proxy rather than a copy: n8n's context keeps its state on the instance, so every other
	// member is read from (and every method bound to) the real context.
	return new Proxy(ctx, {
		get(target, property) {
			if (property === 'getNodeParameter') return getNodeParameter;
			if (property === 'getCredentials') return getCredentials;
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}
