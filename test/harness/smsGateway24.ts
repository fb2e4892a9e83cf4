import { SmsGateway24Api } from '../../credentials/SmsGateway24Api.credentials';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import type { Simulator } from '../../simulator/server';
import { runNode, type RunOptions } from './n8n';

export const SEED = { email: 'demo@smsgateway24.test', password: 'demo-password', panelToken: 'panel-token-0123456789abcdef' };

export function passwordCredentials(sim: Simulator) {
	return {
		smsGateway24Api: {
			authMethod: 'emailPassword',
			email: SEED.email,
			password: SEED.password,
			baseUrl: `${sim.url}/smsgateway24`,
			sessionToken: '',
		},
	};
}

export function tokenCredentials(sim: Simulator, token = SEED.panelToken) {
	return { smsGateway24Api: { authMethod: 'token', apiToken: token, baseUrl: `${sim.url}/smsgateway24`, sessionToken: '' } };
}

/** Runs the SMS Gateway node with provider SMSGateway24 against the simulator. */
export async function runSmsGateway24(
	sim: Simulator,
	options: Partial<RunOptions> & Pick<RunOptions, 'parameters'>,
) {
	const parametersFor = (itemIndex: number) => ({
		provider: 'smsGateway24',
		...(typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters),
	});
	return await runNode({
		nodeType: new SmsGateway(),
		credentialTypes: [new SmsGateway24Api()],
		credentials: passwordCredentials(sim),
		...options,
		parameters: parametersFor,
	});
}

/** What the simulator received for one SMSGateway24 method. */
export function received(sim: Simulator, method: string) {
	return sim.requests({ provider: 'smsgateway24' }).filter((request) => request.path.endsWith(`/getdata/${method}`));
}
