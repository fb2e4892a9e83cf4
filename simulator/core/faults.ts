import type { FaultKind, FaultRule, FaultRuleInput, ProviderResponse } from './types';

const KINDS: readonly FaultKind[] = ['latency', 'status', 'timeout', 'drop', 'malformed', 'html', 'empty', 'expiredToken'];

export class FaultRuleError extends Error {}

const REASONS: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	408: 'Request Timeout',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

function reason(status: number): string {
	return REASONS[status] ?? 'Error';
}

export function validateFaultRule(input: unknown): FaultRuleInput {
	if (!input || typeof input !== 'object' || Array.isArray(input)) throw new FaultRuleError('fault rule must be an object');
	const rule = input as Record<string, unknown>;
	if (typeof rule.kind !== 'string' || !KINDS.includes(rule.kind as FaultKind)) {
		throw new FaultRuleError(`fault kind must be one of ${KINDS.join(', ')}`);
	}
	const optionalString = (key: string): void => {
		if (rule[key] !== undefined && typeof rule[key] !== 'string') throw new FaultRuleError(`${key} must be a string`);
	};
	const optionalNumber = (key: string): void => {
		if (rule[key] !== undefined && (typeof rule[key] !== 'number' || !Number.isFinite(rule[key]))) {
			throw new FaultRuleError(`${key} must be a number`);
		}
	};
	optionalString('provider');
	optionalString('pathIncludes');
	optionalString('method');
	optionalNumber('times');
	optionalNumber('skip');
	optionalNumber('latencyMs');
	optionalNumber('status');
	if (rule.retryAfter !== undefined && typeof rule.retryAfter !== 'number' && typeof rule.retryAfter !== 'string') {
		throw new FaultRuleError('retryAfter must be a number of seconds or an HTTP date string');
	}
	for (const key of ['afterProcessing', 'echoRequest']) {
		if (rule[key] !== undefined && typeof rule[key] !== 'boolean') throw new FaultRuleError(`${key} must be a boolean`);
	}
	if (rule.status !== undefined && ((rule.status as number) < 100 || (rule.status as number) > 599)) {
		throw new FaultRuleError('status must be an HTTP status code');
	}
	return rule as unknown as FaultRuleInput;
}

/**
 * Holds fault rules and hands out the first one matching a request. Rules are consumed in the order they
 * were added, so a test can queue "first call 503, second call drop" by adding two rules.
 */
export class FaultInjector {
	private rules: FaultRule[] = [];
	private nextId = 1;

	add(input: FaultRuleInput): FaultRule {
		const valid = validateFaultRule(input);
		const times = valid.times ?? 1;
		const rule: FaultRule = {
			...valid,
			id: this.nextId++,
			times,
			remaining: times > 0 ? times : Infinity,
			hits: 0,
			toSkip: Math.max(0, Math.floor(valid.skip ?? 0)),
		};
		this.rules.push(rule);
		return rule;
	}

	/** Finds and consumes the rule for a request. `target` is the full path with query string. */
	take(provider: string, method: string, target: string): FaultRule | undefined {
		const rule = this.rules.find(
			(r) =>
				r.remaining > 0 &&
				(r.provider === undefined || r.provider === provider) &&
				(r.method === undefined || r.method.toUpperCase() === method) &&
				(r.pathIncludes === undefined || target.includes(r.pathIncludes)),
		);
		if (!rule) return undefined;
		if (rule.toSkip > 0) {
			// A skipped request passes untouched; it does not fall through to later rules either,
			// so "let the first batch through, fail the second" stays one rule.
			rule.toSkip -= 1;
			return undefined;
		}
		rule.remaining -= 1;
		rule.hits += 1;
		if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
		return { ...rule };
	}

	list(): FaultRule[] {
		return this.rules.map((r) => ({ ...r }));
	}

	remove(id: number): boolean {
		const before = this.rules.length;
		this.rules = this.rules.filter((r) => r.id !== id);
		return this.rules.length !== before;
	}

	clear(): void {
		this.rules = [];
	}
}

/** JSON cannot carry Infinity: unlimited rules show `remaining: null`. */
export function faultRuleToJson(rule: FaultRule): Record<string, unknown> {
	return { ...rule, remaining: Number.isFinite(rule.remaining) ? rule.remaining : null };
}

function bodyOverride(body: unknown): { raw: string; contentType?: string } | undefined {
	if (body === undefined) return undefined;
	if (typeof body === 'string') return { raw: body };
	return { raw: JSON.stringify(body), contentType: 'application/json; charset=utf-8' };
}

/**
 * Builds the answer for the kinds that answer something. `real` is the provider's genuine answer when the
 * request was processed first; `malformed` then truncates it, which is what a cut-off proxy buffer looks like.
 */
export function buildFaultResponse(
	rule: FaultRule,
	authError: () => ProviderResponse,
	real?: ProviderResponse,
	requestBody?: string,
): ProviderResponse {
	const override = rule.echoRequest ? { raw: requestBody ?? '', contentType: 'text/plain; charset=utf-8' } : bodyOverride(rule.body);
	switch (rule.kind) {
		case 'status': {
			const status = rule.status ?? 503;
			const headers: Record<string, string> = {};
			if (rule.retryAfter !== undefined) headers['Retry-After'] = String(rule.retryAfter);
			return {
				status,
				headers,
				raw: override?.raw ?? `${status} ${reason(status)}`,
				contentType: override?.contentType ?? 'text/plain; charset=utf-8',
			};
		}
		case 'html': {
			const status = rule.status ?? 502;
			const page =
				`<html>\r\n<head><title>${status} ${reason(status)}</title></head>\r\n<body>\r\n` +
				`<center><h1>${status} ${reason(status)}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
			return { status, raw: override?.raw ?? page, contentType: 'text/html' };
		}
		case 'malformed': {
			let text = override?.raw;
			if (text === undefined && real) {
				const full = real.raw !== undefined ? real.raw.toString() : JSON.stringify(real.json ?? {});
				text = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
			}
			return {
				status: rule.status ?? 200,
				raw: text ?? '{"error":0,"message":"O',
				contentType: 'application/json; charset=utf-8',
			};
		}
		case 'empty':
			return { status: rule.status ?? 200, raw: '', contentType: 'application/json; charset=utf-8' };
		case 'expiredToken':
			return authError();
		default:
			throw new Error(`fault kind ${rule.kind} does not build an answer`);
	}
}
