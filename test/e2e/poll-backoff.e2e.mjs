// The Poll Trigger under n8n 2.x's poll scheduler (N8N_SCHEDULER_ENABLED with poll triggers and
// durable cursors; off by default in 2.40.7): when a poll fails, n8n reads why from the error's
// `failure` and decides when to poll again. A provider that answers 429 with Retry-After: 600 must
// be left alone for ten minutes, not polled again five seconds later as if it were down. Read from
// what a user of the instance sees: n8n's own log line and the requests the provider received.
import { prepareN8n } from './lib/n8n.mjs';
import { waitFor } from './lib/proc.mjs';
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';

export const needsSimulator = true;
export const lines = ['2.x'];

const SCHEDULER_ENV = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
};
const CRED = { id: 'SmsGw24BackoffE2', name: 'SMSGateway24 (simulator)' };
const POLLER = {
	id: 'PollBackoffE2e01',
	name: 'e2e: Poll Trigger under n8n’s poll scheduler',
	nodes: [
		{
			id: 'poll-backoff-node',
			name: 'SMSGateway24 Poll',
			type: 'n8n-nodes-sms-gateway.smsGatewayPollTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: { provider: 'smsGateway24', pollTimes: { item: [{ mode: 'everyMinute' }] } },
			credentials: { smsGateway24Api: CRED },
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
	active: false,
};
const RETRY_AFTER_S = 600;

/** n8n's JSON log records whose message is `message`. */
function logRecords(server, message) {
	return server
		.output()
		.split('\n')
		.filter((line) => line.startsWith('{') && line.includes(message))
		.map((line) => {
			try {
				return JSON.parse(line);
			} catch {
				return undefined;
			}
		})
		.filter((record) => record?.message === message);
}

const states = new WeakMap();

export async function after({ n8n }) {
	const state = states.get(n8n);
	states.delete(n8n);
	if (!state) return;
	try {
		await state.server?.deactivateWorkflow(POLLER.id);
	} finally {
		await state.server?.stop();
		if (!state.failed && process.env.E2E_KEEP !== '1') await state.n8n?.cleanup();
	}
}

export const tests = {
	async 'rate-limited poll: n8n waits out the provider’s Retry-After (one request, then nothing for ten minutes)'(ctx) {
		const state = { failed: true };
		states.set(ctx.n8n, state);
		state.n8n = await prepareN8n({ line: ctx.line, tarball: ctx.tarball, env: SCHEDULER_ENV });
		await state.n8n.importCredentials([
			{ ...CRED, type: 'smsGateway24Api', data: { authMethod: 'token', apiToken: SIMULATOR_ACCOUNTS.smsGateway24.panelToken, baseUrl: `${ctx.sim.url}/smsgateway24` } },
		]);
		await state.n8n.importWorkflow([POLLER]);
		state.server = await state.n8n.start();
		const server = state.server;
		await server.setupOwner();
		const lists = async () => (await ctx.sim.requests()).filter((request) => request.path.endsWith('/getdata/getallsms'));

		await server.activateWorkflow(POLLER.id);
		// The poll at activation remembers what exists; then the provider starts refusing.
		await waitFor(async () => (await lists()).length >= 1, { timeoutMs: 60_000, what: 'the activation poll' });
		await ctx.sim.control('POST', '/faults', { provider: 'smsgateway24', pathIncludes: 'getallsms', kind: 'status', status: 429, retryAfter: RETRY_AFTER_S, times: 0 });
		const before = (await lists()).length;

		const failedPolls = () => logRecords(server, 'Poll failed; backing off').filter((record) => record.metadata?.workflowId === POLLER.id);
		await waitFor(async () => failedPolls().length >= 1, { timeoutMs: 150_000, what: 'a poll answered 429' });
		const [decision] = failedPolls();
		// What n8n decided from the error: a rate limit, waited out for as long as the provider asked.
		ctx.assert.equal(decision.metadata.cause, 'rate-limited', JSON.stringify(decision.metadata));
		ctx.assert.equal(decision.metadata.type, 'transient');
		ctx.assert.equal(decision.metadata.delayMs, RETRY_AFTER_S * 1000, JSON.stringify(decision.metadata));
		// The poll asked once and stopped: it did not sleep through its budget until n8n abandoned it.
		const refused = (await lists()).slice(before);
		ctx.assert.deepEqual(refused.map((request) => request.response?.status), [429]);
		ctx.assert.equal(logRecords(server, 'Poll exceeded its timeout and was abandoned').length, 0);

		// The next minute's tick passes without a request to the provider.
		const failedAt = Date.parse(decision.metadata.timestamp);
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, failedAt + 70_000 - Date.now())));
		ctx.assert.equal((await lists()).length, before + 1, 'n8n polled again during the Retry-After');
		ctx.assert.equal(failedPolls().length, 1);
		state.failed = false;
	},
};
