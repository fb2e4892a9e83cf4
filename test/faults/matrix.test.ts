/**
 * The fault matrix: every sending operation of every provider, under every fault the simulator can
 * inject. For each case the assertions are the same, and they are what the user cares about:
 * - every input item ends as a success or an error item (none missing);
 * - the simulator holds no more messages than the node reported as sent or as possibly sent
 *   (an answer lost after the provider acted is reported as "may already have gone out"),
 *   and no recipient got two messages;
 * - every error says what happened and what to do.
 * Results are written to test-results/fault-matrix.json; `npm run faults` prints the table.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { INodeExecutionData } from 'n8n-workflow';
import { startSimulator, type FaultRuleInput, type Simulator } from '../../simulator/server';
import { runMessageFlow } from '../harness/messageFlow';
import type { RunResult } from '../harness/n8n';
import { runSmsBridge } from '../harness/smsBridge';
import { passwordCredentials, runSmsGateway24 } from '../harness/smsGateway24';
import { runUgsms } from '../harness/ugsms';
import { resetRateLimiters } from '../../nodes/SmsGateway/shared/rateLimit';

type Operation = 'send' | 'sendBulk';

interface ProviderUnderTest {
	name: string;
	simName: string;
	/** Path fragment of the request that sends, per operation. */
	sendPath: Record<Operation, string>;
	run(sim: Simulator, operation: Operation, recipients: string[]): Promise<RunResult>;
	/** Recipients of the messages the simulator holds. */
	accepted(sim: Simulator): string[];
	/** The n-th test recipient, where the provider needs numbers of its own country (default: Polish). */
	phone?(index: number): string;
	/** A number the provider refuses (default: MessageFlow's blocked test number). */
	refusedPhone?: string;
}

const HTTP_TIMEOUT_MS = 1500;

const providers: ProviderUnderTest[] = [
	{
		name: 'SMSGateway24',
		simName: 'smsgateway24',
		sendPath: { send: 'addsms', sendBulk: 'addalotofsms' },
		run: async (sim, operation, recipients) =>
			await runSmsGateway24(sim, {
				items: recipients.map((phone) => ({ phone })),
				credentials: passwordCredentials(sim),
				continueOnFail: true,
				httpTimeoutMs: HTTP_TIMEOUT_MS,
				parameters: (index) => ({
					resource: 'message',
					operation,
					recipients: recipients[index],
					message: 'Fault matrix',
					device: { __rl: true, mode: 'id', value: '260' },
					smsGateway24Options: operation === 'sendBulk' ? { batchSize: 3 } : {},
				}),
			}),
		accepted: (sim) => (sim.snapshot('smsgateway24') as { messages: Array<{ sendto: string; status: number }> }).messages.filter((m) => m.status !== 5).map((m) => m.sendto),
	},
	{
		name: 'MessageFlow',
		simName: 'messageflow',
		sendPath: { send: '/v2.1/sms', sendBulk: '/v2.1/sms' },
		run: async (sim, operation, recipients) =>
			await runMessageFlow(sim, {
				items: recipients.map((phone) => ({ phone })),
				continueOnFail: true,
				httpTimeoutMs: HTTP_TIMEOUT_MS,
				parameters: (index) => ({
					resource: 'message',
					operation,
					recipients: recipients[index],
					message: 'Fault matrix',
					sender: 'ACME',
					messageFlowOptions: operation === 'sendBulk' ? { batchSize: 3 } : {},
				}),
			}),
		accepted: (sim) => (sim.snapshot('messageflow') as { messages: Array<{ phoneNumber: string }> }).messages.map((m) => m.phoneNumber),
	},
	{
		name: 'SMS Bridge',
		simName: 'smsbridge',
		sendPath: { send: 'send.php', sendBulk: 'send.php' },
		run: async (sim, operation, recipients) =>
			await runSmsBridge(sim, {
				items: recipients.map((phone) => ({ phone })),
				continueOnFail: true,
				httpTimeoutMs: HTTP_TIMEOUT_MS,
				parameters: (index) => ({
					resource: 'message',
					operation,
					recipients: recipients[index],
					message: 'Fault matrix',
					smsBridgeSender: 'client',
					smsBridgeOptions: operation === 'sendBulk' ? { concurrency: 2 } : {},
				}),
			}),
		accepted: (sim) => (sim.snapshot('smsbridge') as { messages: Array<{ to: string; status: string }> }).messages.filter((m) => m.status !== 'blocked').map((m) => m.to),
	},
	{
		name: 'UGSMS',
		simName: 'ugsms',
		sendPath: { send: 'sms/send', sendBulk: 'sms/send' },
		// UGSMS takes Ugandan numbers (written nationally by default).
		phone: (index) => `+2567720${String(10000 + index)}`,
		// A landline: UGSMS refuses the whole request for it; the node isolates it and sends the rest.
		refusedPhone: '+256414123456',
		run: async (sim, operation, recipients) =>
			await runUgsms(sim, {
				items: recipients.map((phone) => ({ phone })),
				continueOnFail: true,
				httpTimeoutMs: HTTP_TIMEOUT_MS,
				parameters: (index) => ({
					resource: 'message',
					operation,
					recipients: recipients[index],
					message: 'Fault matrix',
					ugsmsOptions: operation === 'sendBulk' ? { batchSize: 3 } : {},
				}),
			}),
		accepted: (sim) => (sim.snapshot('ugsms') as { messages: Array<{ normalized: string[] }> }).messages.flatMap((m) => m.normalized.map((number) => `+${number}`)),
	},
];

interface FaultCase {
	name: string;
	fault?: Omit<FaultRuleInput, 'provider' | 'pathIncludes'>;
	/** Recipients that the provider refuses (partial acceptance). */
	refused?: boolean;
	only?: string[];
	/** Providers for which every message must still go out (the fault is one a retry can safely absorb). */
	allSent?: string[] | 'all';
}

const cases: FaultCase[] = [
	{ name: 'no fault', allSent: 'all' },
	{ name: 'latency spike (1 s)', fault: { kind: 'latency', latencyMs: 1000 }, allSent: 'all' },
	{ name: 'timeout (no answer)', fault: { kind: 'timeout' } },
	{ name: 'connection dropped before processing', fault: { kind: 'drop' } },
	{ name: 'connection dropped after processing', fault: { kind: 'drop', afterProcessing: true } },
	{ name: '429 with Retry-After', fault: { kind: 'status', status: 429, retryAfter: 1 }, allSent: 'all' },
	{ name: '429 without Retry-After', fault: { kind: 'status', status: 429 }, allSent: 'all' },
	{ name: 'HTTP 500', fault: { kind: 'status', status: 500 } },
	{ name: 'HTTP 502', fault: { kind: 'status', status: 502 } },
	{ name: 'HTTP 503', fault: { kind: 'status', status: 503 } },
	{ name: 'malformed JSON after processing', fault: { kind: 'malformed', afterProcessing: true } },
	{ name: 'HTML error page', fault: { kind: 'html' } },
	// A debug page that quotes the request as sent: token, password or key included where the
	// request carries one in its body (SMSGateway24's token from this run's own login).
	{ name: 'HTTP 500 echoing the request', fault: { kind: 'status', status: 500, echoRequest: true } },
	{ name: 'empty body', fault: { kind: 'empty' } },
	// Only SMSGateway24 has tokens that expire (the node logs in again); the others' keys are fixed.
	{ name: 'expired token mid-run', fault: { kind: 'expiredToken', skip: 1 } as Omit<FaultRuleInput, 'provider' | 'pathIncludes'>, allSent: ['SMSGateway24'] },
	{ name: 'provider accepts part of a batch', refused: true, only: ['MessageFlow', 'UGSMS'] },
];

const results: Array<{ provider: string; operation: Operation; case: string; passed: boolean; detail: string }> = [];

/** Every credential value the node sent to the simulator: passwords, tokens (also fresh ones), keys. */
function secretsSeen(sim: Simulator): string[] {
	const secrets = new Set<string>(['demo-password', 'panel-token-0123456789abcdef', 'mf-auth-key-0123456789', 'mf-app-key-abcdef', 'sb-client-key-0123456789', 'ug-key-0123456789abcdef', 'demo-ug-password']);
	for (const request of sim.requests()) {
		for (const value of [request.body.token, request.body.pass, request.body.password, request.headers.authorization, request.headers['application-key'], request.headers['x-api-key']]) {
			if (typeof value === 'string' && value.length >= 8) secrets.add(value.replace(/^Bearer /, ''));
		}
		const answer = request.response?.body as { token?: unknown } | undefined;
		if (typeof answer?.token === 'string') secrets.add(answer.token);
	}
	return [...secrets];
}

function check(run: RunResult, recipients: string[], accepted: string[], refused: Set<string>, allSent: boolean, secrets: string[]): string[] {
	const problems: string[] = [];
	const everything = `${JSON.stringify(run.items)} ${run.error?.message ?? ''} ${(run.error as { description?: string } | undefined)?.description ?? ''} ${JSON.stringify(run.error ?? {})} ${run.logs.join('\n')}`;
	for (const secret of secrets) {
		if (everything.includes(secret)) problems.push(`a credential value (${secret.slice(0, 4)}…) appears in the output, an error or a log`);
		// A quote cut short can hold the start of one.
		else if (secret.length >= 16 && everything.includes(secret.slice(0, 12))) problems.push(`the start of a credential value (${secret.slice(0, 4)}…) appears in the output, an error or a log`);
	}
	const items: INodeExecutionData[] = run.items;
	if (run.error) problems.push(`the node stopped: ${run.error.message}`);
	const byItem = new Map<number, number>();
	for (const item of items) {
		const index = (item.pairedItem as { item: number }).item;
		byItem.set(index, (byItem.get(index) ?? 0) + 1);
	}
	recipients.forEach((_, index) => {
		if (byItem.get(index) !== 1) problems.push(`item ${index} has ${byItem.get(index) ?? 0} output items`);
	});
	const successes = items.filter((item) => item.json.error === undefined).map((item) => String(item.json.recipient));
	const errors = items.filter((item) => item.json.error !== undefined);
	const inDoubt = errors.filter((item) => /may already|may or may not|may have/i.test(`${item.json.error} ${item.json.description}`));
	for (const error of errors) {
		if (!String(error.json.error ?? '').trim() || !String(error.json.description ?? '').trim()) problems.push(`an error item lacks a message or advice: ${JSON.stringify(error.json)}`);
	}
	if (new Set(accepted).size !== accepted.length) problems.push(`a recipient got two messages: ${accepted.join(', ')}`);
	for (const success of successes) {
		if (!accepted.includes(success)) problems.push(`${success} reported as sent but the provider has no message`);
	}
	if (accepted.length > successes.length + inDoubt.length) {
		problems.push(`the provider holds ${accepted.length} messages, the node reported ${successes.length} sent and ${inDoubt.length} possibly sent`);
	}
	for (const number of refused) if (successes.includes(number)) problems.push(`${number} was refused by the provider but reported as sent`);
	if (allSent && (successes.length !== recipients.length || accepted.length !== recipients.length)) {
		problems.push(`expected every message to go out, got ${successes.length} reported and ${accepted.length} held by the provider`);
	}
	return problems;
}

describe('fault matrix', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => {
		await sim.close();
		const file = path.join(__dirname, '..', '..', 'test-results', 'fault-matrix.json');
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify({ cases: cases.map((c) => c.name), results }, null, 2));
	});
	beforeEach(() => {
		sim.reset();
		// The rate-limit budget the node keeps per key belongs to the simulator just reset.
		resetRateLimiters();
	});

	for (const provider of providers) {
		for (const operation of ['send', 'sendBulk'] as const) {
			for (const faultCase of cases) {
				if (faultCase.only && !faultCase.only.includes(provider.name)) continue;
				it(`${provider.name} · ${operation} · ${faultCase.name}`, async () => {
					const recipients = Array.from({ length: operation === 'send' ? 3 : 6 }, (_, index) => provider.phone?.(index) ?? `+4850070${String(1000 + index)}`);
					const refused = new Set<string>();
					if (faultCase.refused) {
						recipients[1] = provider.refusedPhone ?? '+48500709999';
						refused.add(recipients[1]);
					}
					if (faultCase.fault) sim.addFault({ provider: provider.simName, pathIncludes: provider.sendPath[operation], method: 'POST', ...faultCase.fault } as FaultRuleInput);
					const run = await provider.run(sim, operation, recipients);
					const allSent = faultCase.allSent === 'all' || (faultCase.allSent ?? []).includes(provider.name);
					const problems = check(run, recipients, provider.accepted(sim), refused, allSent, secretsSeen(sim));
					results.push({ provider: provider.name, operation, case: faultCase.name, passed: problems.length === 0, detail: problems.join('; ') });
					expect(problems).toEqual([]);
				});
			}
		}
	}
});
