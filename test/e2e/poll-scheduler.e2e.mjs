// The Poll Trigger under n8n 2.x's poll scheduler (N8N_SCHEDULER_ENABLED and
// N8N_SCHEDULER_POLL_TRIGGERS_ENABLED, off by default in 2.40.7 and 2.41.1), with and without its durable
// cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED). The scheduler runs each poll as a task of its
// own, with static data (or a durable cursor) read for it before it starts, and starts the polls
// of two Poll Times due at the same moment together. What the README promises must hold: nothing
// from before activation, each new message once (before the fix, with two Poll Times on one
// minute, each was reported twice), also one that arrives right after activation and one that
// arrives while n8n is stopped. With durable cursors n8n 2.40.7 and 2.41.1 drop what the poll at activation
// read, so there the first scheduled poll is the first reading (README, "Polled"). Read from the
// executions n8n records and the requests the simulator received; about 2.5 minutes per test.
import { sleep, waitFor } from './lib/proc.mjs';
import { smsGateway24TokenCredential } from './lib/accounts.mjs';
import { ownN8n, reportedRuns, schedulerEnv, startAndActivate } from './lib/scheduler.mjs';
import { pollTriggerWorkflow } from './lib/workflow.mjs';

export const needsSimulator = true;
export const lines = ['2.x'];

const CRED = { id: 'SmsGw24SchedE2e1', name: 'SMSGateway24 (simulator)' };
const NODE_NAME = 'SMSGateway24 Poll';
const POLLER = pollTriggerWorkflow(
	{ id: 'PollSchedulerE2e', name: 'e2e: Poll Trigger under n8n’s poll scheduler' },
	{
		id: 'poll-scheduler-node',
		name: NODE_NAME,
		// Two Poll Times on the same minute: n8n makes two jobs that fire in the same second.
		parameters: { provider: 'smsGateway24', events: ['received'], pollTimes: { item: [{ mode: 'everyMinute' }, { mode: 'everyMinute' }] } },
		credentials: { smsGateway24Api: CRED },
	},
);

/** Every message the trigger reported, in the order of n8n's executions. */
async function reported(server) {
	return (await reportedRuns(server, POLLER.id, NODE_NAME)).flat().map((message) => message.text);
}

const own = ownN8n();

export async function after(hook) {
	await own.after(hook);
}

async function scenario(ctx, { durable }) {
	const state = await own.prepare(ctx, {
		env: schedulerEnv({ durable }),
		credentials: [smsGateway24TokenCredential(CRED, ctx.sim.url)],
		workflow: POLLER,
	});
	const incoming = async (body) => await ctx.sim.control('POST', '/incoming', { provider: 'smsgateway24', from: '+4917600000009', body });
	const lists = async () => (await ctx.sim.requests()).filter((request) => request.path.endsWith('/getdata/getallsms')).length;

	await incoming('before activation');
	// The poll at activation remembers what exists; a message arrives right after it, before
	// the first scheduled poll (unless that poll came within the second).
	await startAndActivate(state, POLLER.id, lists);
	await sleep(1000);
	await incoming('after activation');
	const beforeFirstScheduledPoll = (await lists()) === 1;
	const expected = [];
	if (durable) {
		// n8n 2.40.7 and 2.41.1 with durable cursors drop what the poll at activation read (it commits a
		// cursor only after a scheduled poll, or with the execution a poll starts): the first
		// scheduled poll reads the list for the first time, and what exists then is history
		// (README, "Polled"). Wait for it, then restart.
		await waitFor(async () => (await lists()) >= 2, { timeoutMs: 90_000, what: 'the first scheduled poll' });
		await sleep(3000);
		if (!beforeFirstScheduledPoll) expected.push('after activation');
	} else {
		await waitFor(async () => (await reported(state.server)).includes('after activation'), { timeoutMs: 150_000, what: 'the message after activation' });
		expected.push('after activation');
	}

	// n8n stops; a message arrives meanwhile; after the restart the next scheduled poll reports it.
	await state.server.stop();
	await incoming('while n8n was down');
	state.server = await state.n8n.start();
	await state.server.login();
	await waitFor(async () => (await reported(state.server)).includes('while n8n was down'), { timeoutMs: 150_000, what: 'the message sent while n8n was down' });
	// Give a late duplicate (the other Poll Time's poll, a save still under way) time to show.
	await sleep(5000);
	const all = await reported(state.server);
	if (durable && beforeFirstScheduledPoll) ctx.assert.ok(!all.includes('after activation'), 'n8n kept the cursor of the poll at activation: update the README');
	ctx.assert.deepEqual(all, [...expected, 'while n8n was down']);
	await state.server.deactivateWorkflow(POLLER.id);
	await own.finish(ctx, state);
}

export const tests = {
	async 'scheduler: each new message once (two Poll Times on one minute, right after activation, across a restart)'(ctx) {
		await scenario(ctx, { durable: false });
	},
	async 'scheduler with durable cursors: each new message once (two Poll Times on one minute, across a restart); the one before the first scheduled poll is history'(ctx) {
		await scenario(ctx, { durable: true });
	},
};
