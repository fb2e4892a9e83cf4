// The accounts the simulator is seeded with (simulator/accounts.json, which the simulator's seed
// defaults are made of), for the suites, the demo and the benchmark to log in with.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** { smsGateway24: { email, password, panelToken }, messageFlow: { authorizationKey, applicationKey }, smsBridge: { apiKey }, ugsms: { username, password, apiKey } } */
export const SIMULATOR_ACCOUNTS = require('../../../simulator/accounts.json');

/**
 * An SMSGateway24 credential that signs in to the simulator at `simUrl` with the seeded panel's
 * API token, for importCredentials. `credential` is its { id, name }: each suite names its own.
 */
export function smsGateway24TokenCredential(credential, simUrl) {
	return { ...credential, type: 'smsGateway24Api', data: { authMethod: 'token', apiToken: SIMULATOR_ACCOUNTS.smsGateway24.panelToken, baseUrl: `${simUrl}/smsgateway24` } };
}
