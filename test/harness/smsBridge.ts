import { SmsBridgeApi } from '../../credentials/SmsBridgeApi.credentials';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import type { Simulator } from '../../simulator/server';
import { runNode, type RunOptions } from './n8n';

export const API_KEY = 'sb-client-key-0123456789';

export function smsBridgeCredentials(sim: Simulator, apiKey = API_KEY) {
	return { smsBridgeApi: { apiKey, baseUrl: `${sim.url}/smsbridge/api/v2` } };
}

/** Runs the SMS Gateway node with provider SMS Bridge against the simulator. */
export async function runSmsBridge(sim: Simulator, options: Partial<RunOptions> & Pick<RunOptions, 'parameters'>) {
	return await runNode({
		nodeType: new SmsGateway(),
		credentialTypes: [new SmsBridgeApi()],
		credentials: smsBridgeCredentials(sim),
		...options,
		parameters: (itemIndex: number) => ({
			provider: 'smsBridge',
			...(typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters),
		}),
	});
}

export function bridgeRequests(sim: Simulator, path: string) {
	return sim.requests({ provider: 'smsbridge', pathIncludes: path });
}
