// The Poll Trigger under n8n 2.x's poll scheduler (N8N_SCHEDULER_ENABLED with poll triggers and
// durable cursors; off by default in 2.40.7 and 2.41.1): when a poll fails, n8n reads why from the error's
// `failure` and decides when to poll again. A provider that answers 429 with Retry-After: 600 must
// be left alone for ten minutes, not polled again five seconds later as if it were down. Read from
// what a user of the instance sees: n8n's own log line and the requests the provider received.
import { sleep, waitFor } from './lib/proc.mjs';
import { smsGateway24TokenCredential } from './lib/accounts.mjs';
import { ownN8n, schedulerEnv, startAndActivate } from './lib/scheduler.mjs';
import { pollTriggerWorkflow } from './lib/workflow.mjs';

export const needsSimulator = true;
export const lines = ['2.x'];

const CRED = { id: 'SmsGw24BackoffE2', name: 'SMSGateway24 (simulator)' };
const POLLER = pollTriggerWorkflow(
	{ id: 'PollBackoffE2e01', name: 'e2e: Poll Trigger under n8n’s poll scheduler' },
	{ id: 'poll-backoff-node', name: 'SMSGateway24 Poll', parameters: { provider: 'smsGateway24', pollTimes: { item: [{ mode: 'everyMinute' }] } }, credentials: { smsGateway24Api: CRED } },
);
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

const own = ownN8n();

// The test leaves its workflow published and its server running: both end here.
export async function after(hook) {
	await own.after(hook, async (state) => await state.server?.deactivateWorkflow(POLLER.id));
}

export const tests = {
	async 'rate-limited poll: n8n waits out the provider’s Retry-After (one request, then nothing for ten minutes)'(ctx) {
		const state = await own.prepare(ctx, {
			env: schedulerEnv({ durable: true }),
			credentials: [smsGateway24TokenCredential(CRED, ctx.sim.url)],
			workflow: POLLER,
		});
		const lists = async () => (await ctx.sim.requests()).filter((request) => request.path.endsWith('/getdata/getallsms'));

		// The poll at activation remembers what exists; then the provider starts refusing.
		await startAndActivate(state, POLLER.id, async () => (await lists()).length);
		const server = state.server;
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
		await sleep(Math.max(0, failedAt + 70_000 - Date.now()));
		ctx.assert.equal((await lists()).length, before + 1, 'n8n polled again during the Retry-After');
		ctx.assert.equal(failedPolls().length, 1);
		state.failed = false;
	},
};
