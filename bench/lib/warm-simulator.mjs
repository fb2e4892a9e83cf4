// Warms the simulator up before anything is measured. A real provider's server has long been
// running; a freshly started simulator has compiled nothing yet, and its first 500-message request
// took ~120 ms instead of ~35 ms (three batches in parallel: 216 ms against 88 ms once warm). Left
// cold, that cost fell on whichever measured run first used a path, mostly our bulk requests.
// So each provider's simulator gets the requests both workflows send (batches of 500 and single
// messages) straight over HTTP, a few rounds, and is reset afterwards.

import { SIMULATOR_ACCOUNTS } from '../../test/e2e/lib/accounts.mjs';
import { NUMBER_EXPRESSION, SAME_TEXT } from './workflows.mjs';

const BATCH = 500;
const ROUNDS = 3;
const PARALLEL = 3;
/** UGSMS allows 60 requests per window: the warm-up stays under it (the reset ends the window anyway). */
const SINGLES = { smsGateway24: 60, messageFlow: 60, ugsms: 30 };

/** The bench's recipient numbers, from the expression the workflows use (one place for them). */
function numbersFor(provider, from, count) {
	const number = new Function('i', `return ${NUMBER_EXPRESSION[provider]}`);
	return Array.from({ length: count }, (_, k) => number(from + k));
}

const form = (fields, headers = {}) => ({ headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });

/** One request of each kind a provider is sent: `numbers` recipients, personalised or not. */
const REQUESTS = {
	smsGateway24: (url, numbers, personalised) =>
		numbers.length === 1
			? [`${url}/smsgateway24/getdata/addsms`, form({ token: SIMULATOR_ACCOUNTS.smsGateway24.panelToken, sendto: numbers[0], body: SAME_TEXT, device_id: '260', sim: '0' })]
			: [
					`${url}/smsgateway24/getdata/addalotofsms`,
					form({
						token: SIMULATOR_ACCOUNTS.smsGateway24.panelToken,
						datajson: JSON.stringify({
							token: SIMULATOR_ACCOUNTS.smsGateway24.panelToken,
							smsdata: numbers.map((sendto, k) => ({ sendto, body: personalised ? `${SAME_TEXT} ${k}` : SAME_TEXT, device_id: 260, sim: 0 })),
						}),
					}),
				],
	messageFlow: (url, numbers) => [
		`${url}/messageflow/v2.1/sms`,
		{
			headers: {
				'Content-Type': 'application/json',
				Authorization: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey,
				'Application-Key': SIMULATOR_ACCOUNTS.messageFlow.applicationKey,
			},
			body: JSON.stringify({ sender: 'ACME', message: SAME_TEXT, phoneNumbers: numbers }),
		},
	],
	ugsms: (url, numbers) => [
		`${url}/ugsms/api/v2/sms/send`,
		form({ numbers: numbers.join(','), message_body: SAME_TEXT }, { 'X-API-Key': SIMULATOR_ACCOUNTS.ugsms.apiKey }),
	],
};

async function send(provider, url, numbers, personalised) {
	const [address, { headers, body }] = REQUESTS[provider](url, numbers, personalised);
	const answer = await fetch(address, { method: 'POST', headers, body });
	await answer.arrayBuffer();
	return answer.status;
}

/**
 * Sends the warm-up requests for `providers` to the simulator `sim` and resets it. Returns the
 * answers' status counts, and per provider how long its last round of PARALLEL same-text batches
 * took to be answered (what the simulator itself needs, beside its fixed latency).
 */
export async function warmSimulator(sim, providers) {
	const statuses = {};
	const roundMs = {};
	const count = (status) => (statuses[status] = (statuses[status] ?? 0) + 1);
	for (const provider of providers) {
		let next = 0;
		const take = (n) => numbersFor(provider, (next += n) - n, n);
		const kinds = provider === 'smsGateway24' ? [true, false] : [false];
		for (let round = 0; round < ROUNDS; round++) {
			for (const personalised of kinds) {
				const batches = Array.from({ length: PARALLEL }, () => take(BATCH));
				const started = performance.now();
				for (const status of await Promise.all(batches.map((numbers) => send(provider, sim.url, numbers, personalised)))) count(status);
				roundMs[provider] = performance.now() - started;
			}
		}
		for (let k = 0; k < SINGLES[provider]; k += 10) {
			const singles = Array.from({ length: 10 }, () => take(1));
			for (const status of await Promise.all(singles.map((numbers) => send(provider, sim.url, numbers, false)))) count(status);
		}
	}
	await sim.reset();
	return { statuses, roundMs, batch: BATCH, parallel: PARALLEL };
}
