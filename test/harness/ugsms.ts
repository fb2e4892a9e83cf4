import { UgsmsAccountApi } from '../../credentials/UgsmsAccountApi.credentials';
import { UgsmsApi } from '../../credentials/UgsmsApi.credentials';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import type { UgMessage } from '../../simulator/providers/ugsms';
import type { Simulator } from '../../simulator/server';
import { runNode, type RunOptions } from './n8n';

/** The simulator's seeded UGSMS account (simulator/README.md, "UGSMS"). */
export const UG = { apiKey: 'ug-key-0123456789abcdef', username: 'demo-ug', password: 'demo-ug-password' };

export function ugsmsCredentials(sim: Simulator, overrides: Partial<typeof UG> = {}) {
	const values = { ...UG, ...overrides };
	const baseUrl = `${sim.url}/ugsms`;
	return {
		ugsmsApi: { apiKey: values.apiKey, baseUrl },
		ugsmsAccountApi: { username: values.username, password: values.password, baseUrl },
	};
}

/** Runs the SMS Gateway node with provider UGSMS against the simulator (API key unless told otherwise). */
export async function runUgsms(sim: Simulator, options: Partial<RunOptions> & Pick<RunOptions, 'parameters'>) {
	return await runNode({
		nodeType: new SmsGateway(),
		credentialTypes: [new UgsmsApi(), new UgsmsAccountApi()],
		credentials: ugsmsCredentials(sim),
		...options,
		parameters: (itemIndex: number) => ({
			provider: 'ugsms',
			...(typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters),
		}),
	});
}

export function ugRequests(sim: Simulator, path?: string) {
	return sim.requests({ provider: 'ugsms', ...(path ? { pathIncludes: path } : {}) });
}

export function ugMessages(sim: Simulator): UgMessage[] {
	return (sim.snapshot('ugsms') as { messages: UgMessage[] }).messages;
}

export function tooManyRequests(sim: Simulator) {
	return ugRequests(sim).filter((request) => request.response?.status === 429);
}
