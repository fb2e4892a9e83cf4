import { MessageFlowApi } from '../../credentials/MessageFlowApi.credentials';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import type { Simulator } from '../../simulator/server';
import { runNode, type RunOptions } from './n8n';

export const KEYS = { authKey: 'mf-auth-key-0123456789', applicationApiKey: 'mf-app-key-abcdef' };

export function messageFlowCredentials(sim: Simulator, keys: Partial<typeof KEYS> = {}) {
	return { messageFlowApi: { ...KEYS, ...keys, baseUrl: `${sim.url}/messageflow` } };
}

/** Runs the SMS Gateway node with provider MessageFlow against the simulator. */
export async function runMessageFlow(sim: Simulator, options: Partial<RunOptions> & Pick<RunOptions, 'parameters'>) {
	return await runNode({
		nodeType: new SmsGateway(),
		credentialTypes: [new MessageFlowApi()],
		credentials: messageFlowCredentials(sim),
		...options,
		parameters: (itemIndex: number) => ({
			provider: 'messageFlow',
			...(typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters),
		}),
	});
}

export function sends(sim: Simulator) {
	return sim.requests({ provider: 'messageflow', method: 'POST', pathIncludes: '/v2.1/sms' });
}
