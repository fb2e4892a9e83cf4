import { startSimulator, type Simulator } from '../../simulator/server';
import { runMessageFlow, sends } from '../harness/messageFlow';
import { received, runSmsGateway24, tokenCredentials } from '../harness/smsGateway24';

/**
 * Schedule times as expressions hand them over at the edges: a number that is not one (NaN from a
 * missing field), a date that is not on the calendar, a non-ISO text without a zone. Each is either
 * scheduled for exactly the time meant or refused for its own item, naming the field; never sent
 * at once or at another time.
 */

const mfSend = { resource: 'message', operation: 'send', sender: 'ACME', message: 'Your order has shipped', recipients: '+48500100200' };
const sgSend = { resource: 'message', operation: 'send', recipients: '+4915752982212', message: 'Hello', device: { __rl: true, mode: 'id', value: '260' }, channel: 0 };

describe('schedule times at the edges', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	it('MessageFlow: a NaN schedule time ({{ $json.sendAt * 1000 }} without sendAt) is refused, not sent at once as scheduleTime null', async () => {
		const run = await runMessageFlow(sim, {
			items: [{}, {}],
			continueOnFail: true,
			parameters: (index) => ({ ...mfSend, recipients: index === 0 ? '+48500100200' : '+48500100201', messageFlowOptions: index === 0 ? { scheduleTime: NaN } : {} }),
		});
		expect(run.items[0].json.error).toBe('Schedule Time: cannot read "NaN" as a date and time');
		expect(run.items[1].json).toMatchObject({ recipient: '+48500100201', status: 'queued' });
		expect(sends(sim).map((request) => request.body.phoneNumbers)).toEqual([['+48500100201']]);
	});

	it('SMSGateway24: a NaN schedule time is an error naming the field, not a bare "Invalid time value"', async () => {
		const run = await runSmsGateway24(sim, { parameters: { ...sgSend, smsGateway24Options: { scheduleTime: Infinity } }, credentials: tokenCredentials(sim) });
		expect(run.error?.message).toBe('Schedule Time: cannot read "Infinity" as a date and time');
		expect(received(sim, 'addsms')).toHaveLength(0);
	});

	it('SMSGateway24: a date not on the calendar (29 February of 2031) is refused, not moved to 1 March', async () => {
		const run = await runSmsGateway24(sim, {
			parameters: { ...sgSend, smsGateway24Options: { scheduleTime: '2031-02-29 10:00', timeZone: 'Europe/Berlin' } },
			credentials: tokenCredentials(sim),
		});
		expect(run.error?.message).toBe('Schedule Time: "2031-02-29 10:00" is not a date and time on the calendar');
		expect(received(sim, 'addsms')).toHaveLength(0);
	});

	it('SMSGateway24: a month-first date not on the calendar (2/30/2031) is refused, not moved to 2 March', async () => {
		const run = await runSmsGateway24(sim, {
			parameters: { ...sgSend, smsGateway24Options: { scheduleTime: '2/30/2031 10:00', timeZone: 'Europe/Berlin' } },
			credentials: tokenCredentials(sim),
		});
		expect(run.error?.message).toBe('Schedule Time: "2/30/2031 10:00" is not a date and time on the calendar');
		expect(received(sim, 'addsms')).toHaveLength(0);
	});

	it('SMSGateway24: a non-ISO text without a zone is meant in the Schedule Time Zone, not the n8n server’s zone', async () => {
		const run = await runSmsGateway24(sim, {
			parameters: { ...sgSend, smsGateway24Options: { scheduleTime: '12/30/2030 10:00', timeZone: 'Pacific/Kiritimati' } },
			credentials: tokenCredentials(sim),
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.scheduledFor).toBe('2030-12-30 10:00:00');
		expect(received(sim, 'addsms')[0].body.timetosend).toBe('2030-12-30 10:00:00');
	});

	it('MessageFlow: such a text becomes the Unix time of that wall-clock time in the chosen zone', async () => {
		// A week ahead, within what MessageFlow schedules.
		const day = new Date(Date.now() + 7 * 86_400_000);
		const [year, month, date] = [day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()];
		const run = await runMessageFlow(sim, { parameters: { ...mfSend, messageFlowOptions: { scheduleTime: `${month + 1}/${date}/${year} 10:00`, timeZone: 'Pacific/Kiritimati' } } });
		expect(run.error).toBeUndefined();
		expect(sends(sim)[0].body.scheduleTime).toBe(Date.UTC(year, month, date, 10 - 14) / 1000);
	});
});
